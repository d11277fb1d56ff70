import { Module } from '@nestjs/common';
import { SmtpServer } from './smtp.server.js';

@Module({ providers: [SmtpServer], exports: [SmtpServer] })
export class SmtpModule {}
