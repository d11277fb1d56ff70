import { GraphQLError } from 'graphql';
import { AccountsError, type AccountsErrorCode } from '../../../core/accounts/accounts.errors.js';

/** The one place where account administration refusals become GraphQL error codes. */
const CODE_OF: Record<AccountsErrorCode, string> = {
  INVALID_ADDRESS: 'BAD_USER_INPUT',
  INVALID_DOMAIN: 'BAD_USER_INPUT',
  UNKNOWN_DOMAIN: 'NOT_FOUND',
  DOMAIN_EXISTS: 'ALREADY_EXISTS',
  DOMAIN_NOT_EMPTY: 'IN_USE',
  USER_EXISTS: 'ALREADY_EXISTS',
  UNKNOWN_USER: 'NOT_FOUND',
  ADDRESS_TAKEN: 'ALREADY_EXISTS',
  INVALID_PASSWORD: 'BAD_USER_INPUT',
  INVALID_TARGET: 'BAD_USER_INPUT',
  INVALID_NAME: 'BAD_USER_INPUT',
  INVALID_SCOPE: 'BAD_USER_INPUT',
  INVALID_ROLE: 'BAD_USER_INPUT',
};

/** Every code the admin API gives: the GraphQL module passes these on and hides any other as a fault. */
export const WEBADMIN_ERROR_CODES: readonly string[] = [
  ...new Set([...Object.values(CODE_OF), 'BAD_USER_INPUT', 'BAD_REQUEST', 'CANNOT', 'NOT_FOUND']),
];

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

export function cannot(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CANNOT' } });
}

/** Runs an accounts call, turning its refusals into GraphQL errors; anything else stays a bug. */
export async function accountsCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AccountsError) throw new GraphQLError(error.message, { extensions: { code: CODE_OF[error.code] } });
    throw error;
  }
}

export function notFound(): GraphQLError {
  return new GraphQLError('user not found', { extensions: { code: 'NOT_FOUND' } });
}
