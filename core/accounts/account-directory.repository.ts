// The query types of the account directory live in account-query.ts (its SQL in core/store/repositories); this
// name stays for callers written before the move.
export type { AccountPage, AccountQuery, AccountSort } from './account-query.js';
