import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

@Entity('domains')
export class DomainEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Lower-case, ASCII (punycode) domain name. */
  @Column({ type: 'varchar', length: 253, unique: true })
  name: string;

  /** Address that receives mail for unknown local parts, or null. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  catchAll: string | null;

  @Column({ type: 'varchar', length: 63, default: 'mailhive' })
  dkimSelector: string;

  @Column({ type: 'text', nullable: true })
  dkimPrivateKey: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
