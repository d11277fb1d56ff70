import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a scope row names: a domain now; departments join when the organisation module adds them. */
export type AdminScopeKind = 'domain' | 'department';

/** One domain (or department) a domain admin may administer. */
@Entity('admin_scopes')
export class AdminScopeEntity {
  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: AdminScopeKind;

  @PrimaryColumn({ type: 'integer' })
  targetId: number;
}
