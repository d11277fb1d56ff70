import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user's place in the address list: directory fields and who may see them. One row per account in the organisation. */
@Entity('org_people')
@Index('IDX_org_people_domain', ['domainId'])
export class PersonEntity {
  @PrimaryColumn({ type: 'integer' })
  accountId: number;

  @Column({ type: 'integer' })
  domainId: number;

  @Column({ type: 'varchar', length: 320 })
  address: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  name: string;

  /** Lower-case pinyin of the name, by which lists are ordered (张伟 → zhangwei). */
  @Column({ type: 'varchar', length: 400, default: '' })
  sortKey: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  title: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  phone: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  mobile: string;

  @Column({ type: 'varchar', length: 64, nullable: true, unique: true })
  employeeNumber: string | null;

  @Column({ type: 'varchar', length: 200, default: '' })
  office: string;

  /** hidden | department | organisation | everyone */
  @Column({ type: 'varchar', length: 16, default: 'organisation' })
  privacy: string;

  @Column({ type: 'boolean', default: false })
  hidePhone: boolean;
}
