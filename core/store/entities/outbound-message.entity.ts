import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RecipientDsn } from '../../envelope/dsn-params.js';
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

  /** For a `sending` row: when its holder last took or renewed its lease; the row is handed out again once that is stale. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  nextAttemptAt: number;

  /** The worker holding the row while `sending`: only it renews the lease, so a row another node took back stays theirs. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  /** RFC 3461 RET of the original MAIL FROM (FULL or HDRS); null = not given. */
  @Column({ type: 'varchar', length: 4, nullable: true })
  dsnRet: 'FULL' | 'HDRS' | null;

  /** RFC 3461 ENVID, xtext-decoded. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  dsnEnvid: string | null;

  /** NOTIFY and ORCPT per recipient of this row that gave any; null when none did. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  dsnRecipients: Record<string, RecipientDsn> | null;

  /** When the delayed DSN (RFC 3464 action `delayed`) went out; it goes once per row. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  delayNotifiedAt: number | null;
}
