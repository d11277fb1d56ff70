import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module.js';
import { BounceService } from './bounce.service.js';
import { DkimSigner } from './dkim-signer.service.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { OutboundWorker } from './outbound-worker.service.js';
import { RemoteDeliveryService } from './remote-delivery.service.js';

@Module({
  imports: [DnsModule],
  providers: [OutboundQueueService, OutboundWorker, RemoteDeliveryService, DkimSigner, BounceService],
  exports: [OutboundQueueService, OutboundWorker, BounceService],
})
export class OutboundModule {}
