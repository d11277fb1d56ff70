import { Module } from '@nestjs/common';
import { DnsResolver } from './dns-resolver.service.js';

@Module({ providers: [DnsResolver], exports: [DnsResolver] })
export class DnsModule {}
