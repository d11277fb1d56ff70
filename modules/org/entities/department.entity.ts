import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A department of an organisation (one domain). `path` is the chain of ids from the root, `/1/5/9/`, so a subtree is
 * one indexed prefix range. A department with a `listAddress` is also a list that expands to its members at delivery.
 */
@Entity('org_departments')
@Index('IDX_org_departments_parent', ['parentId', 'sortOrder'])
@Index('IDX_org_departments_path', ['path'])
@Index('IDX_org_departments_domain', ['domainId', 'parentId'])
export class DepartmentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  domainId: number;

  @Column({ type: 'integer', nullable: true })
  parentId: number | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 64, nullable: true, unique: true })
  code: string | null;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ type: 'varchar', length: 1000, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 512 })
  path: string;

  @Column({ type: 'varchar', length: 320, nullable: true, unique: true })
  listAddress: string | null;

  @Column({ type: 'boolean', default: false })
  listRecursive: boolean;

  @Column({ type: 'boolean', default: false })
  listPrimaryOnly: boolean;

  @Column({ type: 'varchar', length: 16, default: 'anyone' })
  listPolicy: string;

  @Column({ type: 'varchar', length: 16, default: 'refuse' })
  listAction: string;
}
