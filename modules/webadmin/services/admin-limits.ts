/** The named bounds of the admin API: every size a client chooses has one. */
export const ADMIN_LIMITS = {
  /** Longest search prefix (an address is at most 320 characters). */
  maxSearchLength: 320,
  /** Largest page of the user table and of the audit log. */
  maxPageSize: 200,
  /** Deepest offset into the user table. */
  maxOffset: 1_000_000,
  /** Rows of one CSV export of the audit log; a longer log is exported in several time ranges. */
  maxCsvRows: 10_000,
  /** Domains in one domain admin's scope set in one request. */
  maxScopeDomains: 1000,
  /** Longest filter value of the audit log. */
  maxFilterLength: 320,
  /** Characters of one user import part (GraphQL bodies are capped at 100 KiB). */
  maxImportBytes: 64 * 1024,
  /** Lines of one user import part. */
  maxImportRows: 500,
} as const;
