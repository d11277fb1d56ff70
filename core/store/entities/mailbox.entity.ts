import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, booleanColumn } from '../column-types.js';

export type SpecialUse = '\\Drafts' | '\\Sent' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';

@Entity('mailboxes')
@Index(['accountId', 'path'], { unique: true })
export class MailboxEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  /** Full UTF-8 name with "/" as hierarchy delimiter; the inbox is always "INBOX". */
  @Column({ type: 'varchar', length: 512 })
  path: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  specialUse: SpecialUse | null;

  @Column({ type: 'boolean', default: true, transformer: booleanColumn })
  subscribed: boolean;

  @Column({ type: 'bigint', transformer: bigintNumber })
  uidValidity: number;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  uidNext: number;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  highestModseq: number;

  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @Column({ type: 'integer', default: 0 })
  unseenCount: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  totalSize: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
