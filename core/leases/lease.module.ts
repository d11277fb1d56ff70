import { Module } from '@nestjs/common';
import { LeaseRepository } from '../store/repositories/lease.repository.js';
import { LeaseService } from './lease.service.js';

@Module({ providers: [LeaseRepository, LeaseService], exports: [LeaseService] })
export class LeaseModule {}
