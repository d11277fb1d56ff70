/** Which listener a session talks to: IMAP and POP3 in plaintext, SMTP on the MX port or submission with TLS. */
export type FuzzPort = 'imap' | 'pop3' | 'smtp' | 'smtps';

export type FuzzProtocol = 'imap' | 'pop3' | 'smtp';

/**
 * When a step is complete: the tagged IMAP reply, a `+` continuation, any one line, a POP3 status line (and its dot-terminated
 * body when `multiline`), a final SMTP reply line, or nothing at all (the step is only written).
 */
export type StepUntil =
  | { kind: 'imap-tagged'; tag: string }
  | { kind: 'continuation' }
  | { kind: 'line' }
  | { kind: 'pop3'; multiline: boolean }
  | { kind: 'smtp' }
  | { kind: 'none' };

/** One write of a session and what ends the wait for its answer. */
export interface FuzzStep {
  send: Buffer;
  until: StepUntil;
  /** The server said yes to STARTTLS/STLS: continue over TLS on the same connection. */
  startTls?: boolean;
  /** Which mutation shaped this step, for the transcript. */
  mutation?: string;
}

/** A whole session: generated from the seed alone, never from the server's answers, so it replays exactly. */
export interface FuzzSession {
  index: number;
  protocol: FuzzProtocol;
  port: FuzzPort;
  steps: FuzzStep[];
}
