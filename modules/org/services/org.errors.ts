export type OrgErrorCode = 'NOT_FOUND' | 'BAD_INPUT' | 'IN_USE' | 'ALREADY_EXISTS' | 'FORBIDDEN';

/** Every refusal of the organisation module, mapped to GraphQL once (resolvers/org-graphql-errors.ts). */
export class OrgError extends Error {
  constructor(
    readonly code: OrgErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badInput = (message: string): OrgError => new OrgError('BAD_INPUT', message);
/** One answer for "not yours" and "does not exist" outside the caller's scope, so a lower admin learns nothing. */
export const outOfScope = (): OrgError => new OrgError('FORBIDDEN', 'not allowed');
