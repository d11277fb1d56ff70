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

  /**
   * IMAP \Recent (RFC 3501 §2.3.2): the highest UID some session has already been told about. Messages above it
   * are recent to the next session that claims them, on whichever node it runs.
   */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  recentUid: number;

  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @Column({ type: 'integer', default: 0 })
  unseenCount: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  totalSize: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
