import { GraphQLError } from 'graphql';
import { MailError, type MailErrorCode } from '../../../core/mail/mail.errors.js';

/** The one place where mail service refusals become GraphQL error codes. */
export const MAIL_ERROR_CODES: Record<MailErrorCode, string> = {
  NONEXISTENT: 'NOT_FOUND',
  ALREADYEXISTS: 'ALREADY_EXISTS',
  OVERQUOTA: 'OVERQUOTA',
  TOOBIG: 'TOO_BIG',
  CANNOT: 'CANNOT',
  HASCHILDREN: 'HAS_CHILDREN',
  INUSE: 'IN_USE',
  LIMIT: 'LIMIT_EXCEEDED',
};

/** Every code the webmail API gives: the GraphQL module passes these on and hides any other as a fault. */
export const WEBMAIL_ERROR_CODES: readonly string[] = [
  ...new Set([...Object.values(MAIL_ERROR_CODES), 'NOT_FOUND', 'BAD_USER_INPUT', 'REJECTED', 'TEMPORARY_FAILURE']),
];

/** The same answer for an id that does not exist and for one that belongs to someone else. */
export function notFound(what: 'message' | 'mailbox' | 'attachment' | 'upload' | 'app password' | 'session'): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Runs a service call, turning MailError refusals into GraphQL errors; anything else stays a bug. */
export async function mailCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MailError) throw new GraphQLError(error.message, { extensions: { code: MAIL_ERROR_CODES[error.code] } });
    throw error;
  }
}

/** A positive integer id from a GraphQL ID, or null (treated as not found by callers). */
export function parseId(id: string): number | null {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
}
