/** RFC 2449 §8 / RFC 3206 extended response codes this server sends. */
export type Pop3ResponseCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM' | 'AUTH';

/** What a command answers. Refusals are values; a thrown exception is a bug. */
export type Pop3Reply =
  | {
      kind: 'ok';
      text: string;
      /** Multi-line answer (CAPA, LIST, UIDL); dot-stuffed and terminated by the session. */
      lines?: readonly string[];
      /** Multi-line message data (RETR, TOP), already CRLF-terminated and dot-stuffed; the session adds ".". */
      body?: Buffer | AsyncIterable<Buffer>;
      then?: 'close' | 'starttls';
    }
  | { kind: 'err'; text: string; code?: Pop3ResponseCode; then?: 'close' }
  /** A SASL challenge (RFC 5034 §4): the next client line goes to `next`, not to the dispatcher. */
  | { kind: 'challenge'; text: string; next: (line: string) => Promise<Pop3Reply> };

export function ok(text: string, extra: Omit<Extract<Pop3Reply, { kind: 'ok' }>, 'kind' | 'text'> = {}): Pop3Reply {
  return { kind: 'ok', text, ...extra };
}

export function err(text: string, code?: Pop3ResponseCode, then?: 'close'): Pop3Reply {
  return { kind: 'err', text, ...(code ? { code } : {}), ...(then ? { then } : {}) };
}

const CRLF = '\r\n';

/** The status line and, for a multi-line answer with `lines`, its body and terminator. */
export function formatReply(reply: Pop3Reply): string {
  if (reply.kind === 'challenge') return `+ ${reply.text}${CRLF}`;
  if (reply.kind === 'err') return `-ERR ${reply.code ? `[${reply.code}] ` : ''}${reply.text}${CRLF}`;
  const status = `+OK${reply.text ? ` ${reply.text}` : ''}${CRLF}`;
  if (!reply.lines) return status;
  // RFC 1939 §3: a line of a multi-line response that starts with "." gets another one.
  return status + reply.lines.map((line) => (line.startsWith('.') ? `.${line}` : line) + CRLF).join('') + `.${CRLF}`;
}
