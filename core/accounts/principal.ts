import type { AccountRole } from '../store/entities/account.entity.js';

export type { AccountRole };

/** Who is logged in, as every protocol, resolver and module sees it: no password hash, no store entity. */
export interface Principal {
  id: number;
  address: string;
  role: AccountRole;
  domainId: number;
}
