import { Module } from '@nestjs/common';
import { BounceService } from '../outbound/bounce.service.js';
import { DeliveryReportService } from '../outbound/delivery-report.service.js';
import { OutboundQueueService } from '../outbound/outbound-queue.service.js';
import { OutboundQueueRepository } from '../store/repositories/outbound-queue.repository.js';
import { DeliveryService } from './delivery.service.js';
import { SubmissionService } from './submission.service.js';

/**
 * The one delivery path and authenticated sending, for every surface that takes mail (SMTP, GraphQL) and for the
 * outbound worker's reports. The outbound queue lives here, once per process, so that every enqueue wakes the
 * one worker.
 */
@Module({
  providers: [OutboundQueueRepository, OutboundQueueService, DeliveryReportService, DeliveryService, SubmissionService, BounceService],
  exports: [OutboundQueueService, DeliveryService, SubmissionService, BounceService],
})
export class DeliveryModule {}
