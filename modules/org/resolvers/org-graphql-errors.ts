import { GraphQLError } from 'graphql';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import { OrgError, type OrgErrorCode } from '../services/org.errors.js';

/** The one place where organisation refusals become GraphQL error codes. */
const CODE_OF: Record<Exclude<OrgErrorCode, 'FORBIDDEN'>, string> = {
  NOT_FOUND: 'NOT_FOUND', BAD_INPUT: 'BAD_USER_INPUT', IN_USE: 'IN_USE', ALREADY_EXISTS: 'ALREADY_EXISTS',
};

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
