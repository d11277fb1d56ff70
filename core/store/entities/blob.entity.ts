import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** Reference count of a blob; the sweeper removes files whose count reached zero. */
@Entity('blobs')
export class BlobEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  size: number;

  @Column({ type: 'integer', default: 0 })
  refCount: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
