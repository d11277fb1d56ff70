import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module.js';
import { DeliveryModule } from '../mail/delivery.module.js';
import { DkimSigner } from './dkim-signer.service.js';
import { OutboundWorker } from './outbound-worker.service.js';
import { RemoteDeliveryService } from './remote-delivery.service.js';

/** The outbound worker: started with the application, whichever listeners are open (see OutboundWorker). */
@Module({
  imports: [DnsModule, DeliveryModule],
  providers: [OutboundWorker, RemoteDeliveryService, DkimSigner],
  exports: [OutboundWorker],
})
export class OutboundModule {}
