import { IMAP_LIMITS } from './imap-limits.js';
import type { LiteralRequest } from './imap-stream.js';

/** What one command may hold in the session's state: the framer's line limits and the literal budget. */
export interface FramingLimits {
  /** Longest line (literals excluded); a longer one is answered BAD and skipped. */
  lineLength: number;
  /** All lines of one command, and with them every literal that is not an APPEND message. */
  commandBytes: number;
  /** Literals in one command that are not APPEND messages. */
  literals: number;
}

export function framingLimits(authenticated: boolean): FramingLimits {
  if (!authenticated) {
    return {
      lineLength: IMAP_LIMITS.preAuthMaxCommandSize,
      commandBytes: IMAP_LIMITS.preAuthMaxCommandSize,
      literals: IMAP_LIMITS.preAuthMaxLiterals,
    };
  }
  return { lineLength: IMAP_LIMITS.maxLineLength, commandBytes: IMAP_LIMITS.maxCommandSize, literals: IMAP_LIMITS.maxLiterals };
}

/**
 * The verdict on an announced literal before any of its bytes is read: refused (with the full tagged line), an
 * argument within the command budget, or an APPEND message (whose size and quota the backend checks next).
 */
export type LiteralVerdict = { kind: 'refuse'; response: string } | { kind: 'argument' } | { kind: 'message' };

export function literalVerdict(request: LiteralRequest, authenticated: boolean, appendLimit: number): LiteralVerdict {
  const limits = framingLimits(authenticated);
  const refuse = (text: string): LiteralVerdict => ({ kind: 'refuse', response: `${request.tag} BAD ${text}` });
  // `A1 APPEND {5}` announces the mailbox name, not a message.
  const isMessage = request.verb === 'APPEND' && !(request.index === 0 && isNameLiteral(request.line));
  if (isMessage) {
    if (!authenticated) return refuse('Log in first');
    if (request.index > IMAP_LIMITS.maxAppendMessages)
      return refuse(`Too many messages in one APPEND (limit ${IMAP_LIMITS.maxAppendMessages})`);
    const total = Math.max(appendLimit, IMAP_LIMITS.maxAppendCommandSize);
    // The first message alone is within the total whenever it is within APPENDLIMIT, which the backend checks.
    if (request.messages > 0 && request.messageBytes + request.size > total) {
      return { kind: 'refuse', response: `${request.tag} NO [TOOBIG] The messages of one APPEND may hold ${total} octets together` };
    }
    return { kind: 'message' };
  }
  if (request.index - request.messages >= limits.literals) return refuse(`Too many literals in one command (limit ${limits.literals})`);
  if (request.commandBytes + request.size > limits.commandBytes) return refuse(`Command too long (limit ${limits.commandBytes} octets)`);
  if (request.size > IMAP_LIMITS.maxLiteralSize) return refuse(`Literal too large (limit ${IMAP_LIMITS.maxLiteralSize} octets)`);
  return { kind: 'argument' };
}

/** Whether the line is the start of an APPEND whose mailbox name is the literal it announces. */
function isNameLiteral(line: Buffer): boolean {
  const words = line.toString('latin1', 0, Math.min(line.length, 64)).split(' ');
  return words.length === 3 && words[1].toUpperCase() === 'APPEND' && words[2].startsWith('{');
}
