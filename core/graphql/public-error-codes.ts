/**
 * The error codes core's own resolvers, guards and rules give, and those Apollo gives for a malformed request. A
 * feature module declares its own beside its error mapping; the composition root hands the union to the GraphQL
 * module, and a code outside it reaches the client as INTERNAL_SERVER_ERROR.
 */
export const CORE_ERROR_CODES: readonly string[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'INVALID_CREDENTIALS',
  'LOCKED',
  'ACCOUNT_DISABLED',
  'SECOND_FACTOR_REQUIRED',
  'INVALID_SECOND_FACTOR',
  'TWO_FACTOR_SETUP_REQUIRED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
];
