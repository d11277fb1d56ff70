export type AccountsErrorCode =
  | 'INVALID_ADDRESS'
  | 'INVALID_DOMAIN'
  | 'UNKNOWN_DOMAIN'
  | 'DOMAIN_EXISTS'
  | 'DOMAIN_NOT_EMPTY'
  | 'USER_EXISTS'
  | 'UNKNOWN_USER'
  | 'ADDRESS_TAKEN'
  | 'INVALID_PASSWORD'
  | 'INVALID_TARGET'
  | 'INVALID_NAME'
  | 'INVALID_SCOPE'
  | 'INVALID_ROLE';

/** Refusals of account administration; each surface (CLI, GraphQL, WebAdmin) maps the code. */
export class AccountsError extends Error {
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
