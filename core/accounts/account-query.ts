import type { Account } from './account.js';

export type AccountSort = 'address' | 'displayName' | 'createdAt' | 'usedBytes';

export interface AccountQuery {
  /** Domains to list; null for every domain. An empty list lists nothing. */
  domainIds: readonly number[] | null;
  /** A prefix of the address or of the display name. */
  search: string;
  sort: AccountSort;
  descending: boolean;
  offset: number;
  limit: number;
}

export interface AccountPage {
  total: number;
  accounts: Account[];
}
