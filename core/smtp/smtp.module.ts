import { Module } from '@nestjs/common';
import { DnsModule } from '../dns/dns.module.js';
import { DeliveryModule } from '../mail/delivery.module.js';
import { InboundAuthService } from './inbound-auth.service.js';
import { SmtpServer } from './smtp.server.js';

@Module({
  imports: [DnsModule, DeliveryModule],
  providers: [SmtpServer, InboundAuthService],
  exports: [SmtpServer],
})
export class SmtpModule {}
