import { GraphQLError } from 'graphql';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import { OrgError, type OrgErrorCode } from '../services/org.errors.js';

/** The one place where organisation refusals become GraphQL error codes. */
const CODE_OF: Record<Exclude<OrgErrorCode, 'FORBIDDEN'>, string> = {
  NOT_FOUND: 'NOT_FOUND',
  BAD_INPUT: 'BAD_USER_INPUT',
  IN_USE: 'IN_USE',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
};

/** Every code the organisation API gives: the GraphQL module passes these on and hides any other as a fault. */
export const ORG_ERROR_CODES: readonly string[] = [...new Set([...Object.values(CODE_OF), 'FORBIDDEN'])];

/** Runs a service call, turning its refusals into GraphQL errors; anything else stays a bug. */
export async function orgCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    if (error.code === 'FORBIDDEN') throw forbidden();
    throw new GraphQLError(error.message, { extensions: { code: CODE_OF[error.code] } });
  }
}
