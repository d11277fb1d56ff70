import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../column-types.js';

/** An alias (one target) or a simple distribution list (several targets). */
@Entity('aliases')
export class AliasEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 320, unique: true })
  address: string;

  @Index()
  @Column({ type: 'integer' })
  domainId: number;

  /** Target addresses: local accounts, other aliases or remote addresses. */
  @Column({ type: 'text', transformer: jsonText })
  targets: string[];

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
