import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { InboundAuthService } from './inbound-auth.service.js';
import { SmtpDeliveryService } from './smtp-delivery.service.js';
import { SmtpServer } from './smtp.server.js';

@Module({
  imports: [DnsModule, OutboundModule],
  providers: [SmtpServer, SmtpDeliveryService, InboundAuthService],
  exports: [SmtpServer],
})
export class SmtpModule {}
