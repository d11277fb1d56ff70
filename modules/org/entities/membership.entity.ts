import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person in a department: exactly one membership per person is primary; managers are members marked as such. */
@Entity('org_memberships')
@Index('IDX_org_memberships_account', ['accountId'])
@Index('IDX_org_memberships_page', ['departmentId', 'sortKey', 'accountId'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'integer' })
  departmentId: number;

  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  @Column({ type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'boolean', default: false })
  isManager: boolean;

  /**
   * The order of a department's member list, kept here so a page is an index range: '0' for managers or '1', then
   * the person's sort key (see PeopleRepository.syncSortKeys).
   */
  @Column({ type: 'varchar', length: 200, default: '' })
  sortKey: string;
}
