import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/**
 * An attachment uploaded ahead of sending (table created by WebmailApi1764100000000). Core owns it although only the
 * webmail takes uploads: each row holds quota and a blob reference, which the store keeps, and removing an account
 * removes its uploads. Read and written by UploadRepository.
 */
@Entity('uploads')
@Index(['accountId', 'createdAt'])
export class UploadEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'varchar', length: 64 })
  blobId: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  filename: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  contentType: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  size: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
