import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StoredStructure } from '../../mime/message-analysis.types.js';
import { bigintNumber, booleanColumn, jsonText } from '../column-types.js';

@Entity('messages')
@Index(['mailboxId', 'uid'], { unique: true })
@Index(['mailboxId', 'modseq'])
@Index(['accountId', 'modseq'])
export class MessageEntity {
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

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  seen: boolean;

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  answered: boolean;

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  flagged: boolean;

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  deleted: boolean;

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  draft: boolean;

  /** Keywords (flags not starting with a backslash), as stored by the client. */
  @Column({ type: 'text', transformer: jsonText })
  keywords: string[];

  @Column({ type: 'bigint', transformer: bigintNumber })
  internalDate: number;

  @Column({ type: 'integer' })
  size: number;

  /**
   * Octets with CRLF line ends (what POP3 LIST, STAT and RETR count), and lines. Computed at delivery; null in rows
   * stored before they were kept, until a POP3 session measures the blob once and writes them back.
   */
  @Column({ type: 'integer', nullable: true })
  crlfSize: number | null;

  @Column({ type: 'integer', nullable: true })
  lineCount: number | null;

  /** SHA-256 of the raw message in the blob store. */
  @Column({ type: 'varchar', length: 64 })
  blobId: string;

  /** Date header in ms, or the internal date when absent; used by SENTBEFORE and sorting. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  sentDate: number;

  @Column({ type: 'varchar', length: 998, default: '' })
  subject: string;

  @Column({ type: 'varchar', length: 998, default: '' })
  fromAddress: string;

  @Column({ type: 'varchar', length: 998, default: '' })
  messageIdHeader: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  preview: string;

  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  hasAttachments: boolean;

  /** Cached analysis of the raw message (envelope, MIME tree with byte offsets), see core/mime. */
  @Column({ type: 'text', transformer: jsonText })
  structure: StoredStructure;

  /** Decoded header and body text for SEARCH and GraphQL queries. */
  @Column({ type: 'text' })
  searchText: string;
}
