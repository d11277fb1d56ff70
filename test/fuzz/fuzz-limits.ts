/** Every bound of the fuzzer, so that a run stays small, local and finite whatever the seed draws. */
export const FUZZ_LIMITS = {
  /** Longest single write of a session (long lines, repeated tokens, literal bodies). */
  maxStepBytes: 512 * 1024,
  /** Bytes one session may send in all (chained literals stop here). */
  maxSessionBytes: 4 * 1024 * 1024,
  /** Commands in one session after the opening ones. */
  maxCommands: 24,
  /** How long a step waits for its answer before the session moves on (a refused or swallowed command). */
  stepTimeoutMs: 250,
  /** A session stops sending after this long, so a server that swallows every step cannot stretch a run. */
  sessionTimeoutMs: 10_000,
  /** A fresh connection must get its greeting and a NOOP answered within this, after each session. */
  livenessDeadlineMs: 2000,
  /** How long a failed liveness check waits to see the server exit before calling it a hang rather than a death. */
  exitNoticeMs: 1000,
  /** Sessions per run whatever --seconds says. */
  maxSessions: 100_000,
  /** Longest run allowed by --seconds (one hour). */
  maxSeconds: 3600,
  /** Leak findings written to files per run (each is also counted). */
  maxLeakFiles: 5,
  /** Received bytes kept per session in a transcript (the rest is counted, not kept). */
  maxTranscriptBytes: 256 * 1024,
} as const;
