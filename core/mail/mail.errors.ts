/**
 * Refusals of the mail services. Codes follow IMAP response codes (RFC 5530) so that each surface maps them
 * in one place: IMAP `NO [OVERQUOTA]`, SMTP `552 5.2.2`, GraphQL error code.
 */
export type MailErrorCode = 'NONEXISTENT' | 'ALREADYEXISTS' | 'OVERQUOTA' | 'TOOBIG' | 'CANNOT' | 'HASCHILDREN' | 'INUSE' | 'LIMIT';

export class MailError extends Error {
  constructor(
    readonly code: MailErrorCode,
    message: string,
  ) {
    super(message);
  }
}
