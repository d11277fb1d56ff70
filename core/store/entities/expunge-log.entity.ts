import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** Expunged UIDs with the MODSEQ of their expunge, for QRESYNC VANISHED and delta sync. */
@Entity('expunge_log')
@Index(['mailboxId', 'modseq'])
export class ExpungeLogEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'integer' })
  mailboxId: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  uid: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  modseq: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  expungedAt: number;

  /** Row id the message had, so API clients that know messages by id learn which went (null in old rows). */
  @Column({ type: 'integer', nullable: true })
  messageId: number | null;
}
