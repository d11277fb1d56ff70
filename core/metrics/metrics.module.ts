import { Module } from '@nestjs/common';
import { MetricsController } from '../http/metrics.controller.js';
import { EventLoopLagService } from './event-loop-lag.service.js';

/** `/metrics` and the process-wide measurements that are not owned by one protocol (event-loop lag). */
@Module({
  controllers: [MetricsController],
  providers: [EventLoopLagService],
})
export class MetricsModule {}
