export type BackupErrorCode =
  'NOT_FOUND' | 'NOT_EMPTY' | 'CORRUPT' | 'WRONG_KEY' | 'KEY_REQUIRED' | 'NO_PARENT' | 'SCHEMA_MISMATCH' | 'MISSING_BLOB' | 'INVALID';

/** A refused or failed backup operation, with a message meant for the operator. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
