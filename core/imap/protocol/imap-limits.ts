/** Every limit of the IMAP server, with its name and its reason. */
export const IMAP_LIMITS = {
  /** Longest command line, literals excluded (RFC 7162 §4 asks servers to accept at least 8192 octets). */
  maxLineLength: 64 * 1024,
  /** Largest literal outside APPEND (mailbox names, search strings, AUTHENTICATE data). */
  maxLiteralSize: 64 * 1024,
  /** Largest whole command, lines and literals, APPEND messages aside. */
  maxCommandSize: 1024 * 1024,
  /** Literals in one command outside APPEND (a SEARCH with a few non-ASCII strings needs a handful). */
  maxLiterals: 256,
  /**
   * All messages of one APPEND together (RFC 3502 MULTIAPPEND), or APPENDLIMIT when that is larger: the whole
   * command is held in memory until it is complete.
   */
  maxAppendCommandSize: 128 * 1024 * 1024,
  /**
   * Largest whole command, lines and literals, before authentication: LOGIN, AUTHENTICATE, ID and STARTTLS
   * need a few hundred octets; more is only an attempt to make an anonymous client expensive.
   */
  preAuthMaxCommandSize: 8 * 1024,
  /** Literals in one command before authentication (LOGIN has two). */
  preAuthMaxLiterals: 4,
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
  /** Flags in one STORE or APPEND flag list: each keyword is stored on every message named and listed in every FLAGS. */
  maxFlags: 64,
  /** Longest keyword, in octets. */
  maxKeywordLength: 128,
  /** Messages per MULTIAPPEND. */
  maxAppendMessages: 1000,
} as const;
