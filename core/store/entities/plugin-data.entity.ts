import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../column-types.js';

/** One key of a plugin's key-value and counter store (PluginStore), namespaced by plugin. */
@Entity('plugin_data')
export class PluginDataEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  plugin: string;

  @PrimaryColumn({ type: 'varchar', length: 191 })
  name: string;

  /** JSON text of the value; null for a key that is only a counter. */
  @Column({ type: 'text', nullable: true })
  value: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  counter: number;

  /** Epoch ms after which the key reads as absent; 0 for never. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  expiresAt: number;
}
