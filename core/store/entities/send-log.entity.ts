import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/**
 * One row per message a user sent in the last hour (table created by SendLog1764200000000), so the sending rate
 * limit holds across nodes and across SMTP submission and the webmail. Core's: SendRateService keeps it.
 */
@Entity('send_log')
@Index(['accountId', 'sentAt'])
export class SendLogEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sentAt: number;
}
