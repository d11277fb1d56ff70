import { Entity, Index, PrimaryColumn } from 'typeorm';

/** A department admin: administers the department's subtree (its sub-departments and their members). */
@Entity('org_department_admins')
@Index('IDX_org_department_admins_department', ['departmentId'])
export class DepartmentAdminEntity {
  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  @PrimaryColumn({ type: 'integer' })
  departmentId: number;
}
