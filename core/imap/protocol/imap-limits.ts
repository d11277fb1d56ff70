/** Every limit of the IMAP server, with its name and its reason. */
export const IMAP_LIMITS = {
  /** Longest command line, literals excluded (RFC 7162 §4 asks servers to accept at least 8192 octets). */
  maxLineLength: 64 * 1024,
  /** Largest literal outside APPEND (mailbox names, search strings, AUTHENTICATE data). */
  maxLiteralSize: 64 * 1024,
  /** Largest whole command outside APPEND literals. */
  maxCommandSize: 1024 * 1024,
  /** Consecutive BAD responses before `* BYE` and close (WildDuck uses 50; we need fewer to be abused). */
  maxBadCommands: 20,
  /** Buffered unread input above which the socket is paused. */
  inputHighWater: 1024 * 1024,
  /** Autologout timer for an idle authenticated session (RFC 3501 §5.4: at least 30 minutes). */
  idleTimeoutMs: 30 * 60 * 1000,
  /** Autologout before authentication. */
  preAuthTimeoutMs: 60 * 1000,
  /** Patterns in one LIST (RFC 5258 allows a list of them). */
  maxListPatterns: 32,
  /** Octets of all LIST patterns, each with the reference: matching costs names × pattern length. */
  maxListPatternOctets: 1024,
  /** Messages per MULTIAPPEND. */
  maxAppendMessages: 1000,
} as const;
