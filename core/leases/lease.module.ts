import { Module } from '@nestjs/common';
import { LeaseService } from './lease.service.js';

@Module({ providers: [LeaseService], exports: [LeaseService] })
export class LeaseModule {}
