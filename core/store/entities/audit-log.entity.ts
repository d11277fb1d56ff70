import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../column-types.js';

@Entity('audit_log')
@Index(['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  at: number;

  /** Who acted: an account address, `cli` or `system`. */
  @Column({ type: 'varchar', length: 320 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 512, default: '' })
  target: string;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  detail: Record<string, unknown> | null;
}
