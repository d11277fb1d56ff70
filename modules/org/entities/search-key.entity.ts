import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One precomputed, lower-case search key of a person (name, pinyin spelling, initials, address, phone, title), so a
 * directory search is one indexed prefix range over this table whatever the asker typed.
 */
@Entity('org_search_keys')
@Index('IDX_org_search_keys_key', ['searchKey'])
@Index('IDX_org_search_keys_account', ['accountId'])
export class SearchKeyEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  accountId: number;

  @Column({ type: 'varchar', length: 200 })
  searchKey: string;
}
