import { Module } from '@nestjs/common';
import { Pop3Server } from './pop3.server.js';

@Module({ providers: [Pop3Server], exports: [Pop3Server] })
export class Pop3Module {}
