import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** A named lock with an owner and an expiry, shared by every node (e.g. the POP3 maildrop lock). */
@Entity('leases')
export class LeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  owner: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  expiresAt: number;
}
