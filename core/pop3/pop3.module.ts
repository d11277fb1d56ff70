import { Module } from '@nestjs/common';
import { LeaseModule } from '../leases/lease.module.js';
import { MessageContentReader } from '../mail/message-content.reader.js';
import { Pop3MailBackend } from './pop3-mail.backend.js';
import { Pop3Server } from './pop3.server.js';

@Module({ imports: [LeaseModule], providers: [Pop3Server, Pop3MailBackend, MessageContentReader], exports: [Pop3Server] })
export class Pop3Module {}
