import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { toAccount } from '../../accounts/account.js';
import type { AccountPage, AccountQuery } from '../../accounts/account-query.js';
import { AccountEntity } from '../entities/account.entity.js';

/**
 * The first string after every string that starts with `prefix`: `ann` → `ano`. A prefix search as a range keeps it
 * on the column's index on SQLite and MySQL alike (LIKE uses an index on SQLite only under a NOCASE collation), and
 * needs no escaping of `%` and `_`.
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

function filtered(manager: EntityManager, query: AccountQuery): SelectQueryBuilder<AccountEntity> {
  const builder = manager.createQueryBuilder(AccountEntity, 'account');
  if (query.domainIds !== null) builder.andWhere('account.domainId IN (:...domainIds)', { domainIds: [...query.domainIds] });
  if (query.search !== '') {
    const lower = query.search.toLowerCase();
    builder.andWhere(
      new Brackets((where) => {
        where
          .where('(account.address >= :addressFrom AND account.address < :addressTo)', {
            addressFrom: lower,
            addressTo: prefixUpperBound(lower),
          })
          .orWhere('(account.displayName >= :nameFrom AND account.displayName < :nameTo)', {
            nameFrom: query.search,
            nameTo: prefixUpperBound(query.search),
          });
      }),
    );
  }
  return builder;
}

/** One page of accounts, sorted on an indexed column (ties by id), with the number of all that match. */
export async function findAccountPage(manager: EntityManager, query: AccountQuery): Promise<AccountPage> {
  if (query.domainIds !== null && query.domainIds.length === 0) return { total: 0, accounts: [] };
  const direction = query.descending ? 'DESC' : 'ASC';
  const [accounts, total] = await Promise.all([
    filtered(manager, query)
      .orderBy(`account.${query.sort}`, direction)
      .addOrderBy('account.id', direction)
      .offset(query.offset)
      .limit(query.limit)
      .getMany(),
    filtered(manager, query).getCount(),
  ]);
  return { total, accounts: accounts.map(toAccount) };
}
