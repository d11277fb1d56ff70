import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** One-time recovery codes of an account's two-factor sign-in; only a SHA-256 of each code is kept. */
@Entity('recovery_codes')
@Index(['accountId', 'codeHash'], { unique: true })
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  /** When the code was used; 0 while it is unused. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  usedAt: number;
}
