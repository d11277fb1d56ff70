import { createHash } from 'node:crypto';

/** Where a client stood, per mailbox: HIGHESTMODSEQ, UIDNEXT and a digest of the path (renames change no MODSEQ). */
export interface MailboxPosition {
  mailboxId: number;
  modseq: number;
  uidNext: number;
  pathDigest: string;
}

export interface SyncState {
  accountId: number;
  mailboxes: MailboxPosition[];
}

const VERSION = 1;

export function pathDigest(path: string): string {
  return createHash('sha256').update(path).digest('base64url').slice(0, 8);
}

/** An opaque string for clients: base64url of a compact JSON array. */
export function encodeState(state: SyncState): string {
  const body = [VERSION, state.accountId, state.mailboxes.map((item) => [item.mailboxId, item.modseq, item.uidNext, item.pathDigest])];
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The state a client sent back, or null when it is not one this server made. */
export function decodeState(text: string): SyncState | null {
  try {
    const body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(body) || body[0] !== VERSION || !isCount(body[1]) || !Array.isArray(body[2])) return null;
    const mailboxes: MailboxPosition[] = [];
    for (const item of body[2] as unknown[]) {
      if (!Array.isArray(item) || !isCount(item[0]) || !isCount(item[1]) || !isCount(item[2]) || typeof item[3] !== 'string') return null;
      mailboxes.push({ mailboxId: item[0], modseq: item[1], uidNext: item[2], pathDigest: item[3] });
    }
    return { accountId: body[1], mailboxes };
  } catch {
    return null;
  }
}
