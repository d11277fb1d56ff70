import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../column-types.js';

/** A plugin's run-time settings: switched on or off (null: as MAILHIVE_PLUGINS says) and its configuration values. */
@Entity('plugin_settings')
export class PluginSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  plugin: string;

  @Column({ type: 'integer', nullable: true })
  enabled: number | null;

  /** The values set, validated against the plugin's schema when written; defaults are not stored. */
  @Column({ type: 'text', transformer: jsonText })
  config: Record<string, unknown>;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  updatedAt: number;
}
