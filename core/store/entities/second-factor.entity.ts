import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** An account's TOTP secret (RFC 6238); at most one per account. */
@Entity('second_factors')
export class SecondFactorEntity {
  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  /** Base32 TOTP secret; never handed out again after enrolment. */
  @Column({ type: 'varchar', length: 64 })
  secret: string;

  /** When the first code confirmed the enrolment; 0 while it is pending (the secret is not yet asked for at sign-in). */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  confirmedAt: number;

  /** The time step of the last accepted code: a code of this step or an earlier one is refused (no replay). */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  lastStep: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
