export interface WebmailOptions {
  /** Largest attachment upload in bytes; the whole message is still bounded by maxMessageSize. */
  uploadLimitBytes: number;
  /** Uploads not used by a sent message or draft within this time are discarded. */
  uploadLifetimeMs: number;
  /** Largest page of `messages(first:)`. */
  maxPageSize: number;
}

export const DEFAULT_WEBMAIL_OPTIONS: WebmailOptions = {
  uploadLimitBytes: 25 * 1024 * 1024,
  uploadLifetimeMs: 24 * 3600_000,
  maxPageSize: 200,
};

/** Path prefix of the HTTP endpoints (attachment downloads, uploads). */
export const WEBMAIL_HTTP_PREFIX = '/api/webmail';

export const WEBMAIL_OPTIONS = Symbol('WEBMAIL_OPTIONS');
