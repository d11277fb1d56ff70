import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person in a department: exactly one membership per person is primary; managers are members marked as such. */
@Entity('org_memberships')
@Index('IDX_org_memberships_account', ['accountId'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'integer' })
  departmentId: number;

  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  @Column({ type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'boolean', default: false })
  isManager: boolean;
}
