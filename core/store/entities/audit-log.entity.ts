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

  /** The actor's role when it acted (`user`, `domain_admin`, `system_admin`), empty for `cli` and `system`. */
  @Column({ type: 'varchar', length: 20, default: '' })
  actorRole: string;

  /** The client address of the request that made the change; empty for the CLI. */
  @Column({ type: 'varchar', length: 64, default: '' })
  clientAddress: string;

  /** The domain the action touched, which scopes the entry for domain admins; null for installation-wide actions. */
  @Column({ type: 'integer', nullable: true })
  domainId: number | null;
}
