/** Every limit of the POP3 server, in one place. */
export const POP3_LIMITS = {
  /**
   * Longest input line in octets. RFC 2449 §4 caps commands at 255 octets, but RFC 5034 §4 lets a SASL response
   * line be longer, so the cap is generous and only protects memory.
   */
  maxLineOctets: 4096,
  /** `-ERR` replies in a row before the server says goodbye and closes. */
  maxErrorsInARow: 10,
  /** Failed logins in one session before it is closed (the account lockout itself is AuthService's). */
  maxAuthFailures: 3,
  /**
   * RFC 1939 §3: the autologout timer must be at least 10 minutes. It runs in TRANSACTION; before login the
   * shorter, absolute MAILHIVE_POP3_LOGIN_TIMEOUT_SECONDS applies as well.
   */
  idleTimeoutMs: 10 * 60_000,
  /** A client told goodbye gets this long to read it before its socket is destroyed, read or not. */
  closeGraceMs: 2_000,
  /** Messages up to this size are read whole; larger ones are streamed from the blob store. */
  wholeMessageOctets: 1024 * 1024,
  /** Messages read ahead of a sequential run of RETRs, in batches (see Pop3Maildrop.contentWithReadAhead). */
  readAheadMessages: 32,
  /** Stored octets one read-ahead batch holds at most: the memory a session spends on reading ahead. */
  readAheadOctets: 512 * 1024,
  /** Pipelined lines queued before the socket is paused. */
  maxQueuedLines: 200,
  /** Blob reads in parallel when sizes are computed for STAT and LIST. */
  sizeReadConcurrency: 8,
  /** Blobs whose POP3 size is remembered by the process (sizes never change: blobs are content-addressed). */
  sizeCacheEntries: 200_000,
  /** Open sessions get this long to finish when the server stops. */
  shutdownGraceMs: 3_000,
} as const;
