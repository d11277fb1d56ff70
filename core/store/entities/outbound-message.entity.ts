import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../column-types.js';

export type OutboundStatus = 'queued' | 'sending' | 'delivered' | 'bounced';

/** One queued outbound message for one destination domain. */
@Entity('outbound_queue')
@Index(['status', 'nextAttemptAt'])
export class OutboundMessageEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Envelope sender; empty for bounces (null sender). */
  @Column({ type: 'varchar', length: 320, default: '' })
  sender: string;

  @Column({ type: 'text', transformer: jsonText })
  recipients: string[];

  @Column({ type: 'varchar', length: 253 })
  domain: string;

  @Column({ type: 'varchar', length: 64 })
  blobId: string;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status: OutboundStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  nextAttemptAt: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
