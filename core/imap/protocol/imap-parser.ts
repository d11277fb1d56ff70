import type { ImapCommand, ImapValue, ParseResult } from './imap-values.js';

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const TILDE = 0x7e;
/** Lists nested deeper than this are refused rather than recursed into. */
export const MAX_LIST_DEPTH = 32;

class ParseError extends Error {}

/**
 * Parses one complete client command as framed by ImapStream: the line bytes with every literal inline
 * (`{5}\r\nhello`) and the final CRLF. Pure: no I/O, no state.
 */
export function parseCommand(bytes: Buffer): ParseResult {
  const tagEnd = bytes.indexOf(SP);
  const lineEnd = bytes.indexOf(LF);
  const firstEnd = tagEnd >= 0 && (lineEnd < 0 || tagEnd < lineEnd) ? tagEnd : -1;
  const tag = firstEnd > 0 ? bytes.toString('latin1', 0, firstEnd) : null;
  if (tag === null || !/^[\x21-\x7e]+$/.test(tag) || /[(){%*"\\+]/.test(tag)) {
    return { ok: false, tag: null, text: 'Missing or invalid tag' };
  }
  try {
    const reader = new Reader(bytes, firstEnd + 1);
    let verb = reader.verb();
    if (verb === 'UID') {
      reader.space();
      verb = `UID ${reader.verb()}`;
    }
    const args = reader.rest();
    return { ok: true, command: { tag, verb, args } };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, tag, text: error.message };
    throw error;
  }
}

class Reader {
  constructor(
    private readonly bytes: Buffer,
    private pos: number,
  ) {}

  verb(): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && isAtomChar(this.bytes[this.pos])) this.pos++;
    if (this.pos === start) throw new ParseError('Missing command');
    return this.bytes.toString('latin1', start, this.pos).toUpperCase();
  }

  space(): void {
    if (this.bytes[this.pos] !== SP) throw new ParseError('Expected a space');
    this.pos++;
  }

  /** The arguments after the verb up to the final CRLF. */
  rest(): ImapValue[] {
    const values: ImapValue[] = [];
    while (!this.atEnd()) {
      this.space();
      values.push(this.value(0));
    }
    return values;
  }

  private atEnd(): boolean {
    const b = this.bytes[this.pos];
    if (this.pos >= this.bytes.length) return true;
    if (b === CR && this.bytes[this.pos + 1] === LF && this.pos + 2 === this.bytes.length) return true;
    return b === LF && this.pos + 1 === this.bytes.length;
  }

  private value(depth: number): ImapValue {
    const b = this.bytes[this.pos];
    if (b === LPAREN) return this.list(depth + 1);
    if (b === DQUOTE) return this.quoted();
    if (b === LBRACE || (b === TILDE && this.bytes[this.pos + 1] === LBRACE)) return this.literal();
    if (b === RPAREN) throw new ParseError('Unexpected ")"');
    if (b === SP) throw new ParseError('Unexpected space');
    if (b === undefined || b === CR || b === LF) throw new ParseError('Missing argument');
    return this.atom();
  }

  private list(depth: number): ImapValue {
    if (depth > MAX_LIST_DEPTH) throw new ParseError('Lists nested too deeply');
    this.pos++;
    const items: ImapValue[] = [];
    while (this.bytes[this.pos] !== RPAREN) {
      if (this.pos >= this.bytes.length || this.atEnd()) throw new ParseError('Unbalanced parentheses: missing ")"');
      if (items.length > 0) this.space();
      if (this.bytes[this.pos] === RPAREN) break;
      items.push(this.value(depth));
    }
    this.pos++;
    return { kind: 'list', items };
  }

  private quoted(): ImapValue {
    this.pos++;
    const out: number[] = [];
    for (;;) {
      const b = this.bytes[this.pos];
      if (b === undefined || b === CR || b === LF) throw new ParseError('Unterminated quoted string');
      this.pos++;
      if (b === DQUOTE) break;
      if (b === BACKSLASH) {
        const next = this.bytes[this.pos];
        // RFC 3501 §9: only the quoting characters may be escaped.
        if (next !== DQUOTE && next !== BACKSLASH) throw new ParseError('Invalid escape in quoted string');
        out.push(next);
        this.pos++;
        continue;
      }
      if (b === 0) throw new ParseError('NUL in quoted string');
      out.push(b);
    }
    return { kind: 'string', value: Buffer.from(out), literal: false };
  }

  private literal(): ImapValue {
    const binary = this.bytes[this.pos] === TILDE;
    if (binary) this.pos++;
    const close = this.bytes.indexOf(0x7d, this.pos);
    const spec = close > 0 ? this.bytes.toString('latin1', this.pos + 1, close) : '';
    const match = /^(\d{1,12})([+-]?)$/.exec(spec);
    if (!match) throw new ParseError('Invalid literal');
    this.pos = close + 1;
    if (this.bytes[this.pos] === CR) this.pos++;
    if (this.bytes[this.pos] !== LF) throw new ParseError('Literal must end its line');
    this.pos++;
    const size = Number(match[1]);
    if (this.pos + size > this.bytes.length) throw new ParseError('Literal shorter than announced');
    const value = this.bytes.subarray(this.pos, this.pos + size);
    this.pos += size;
    if (!binary && value.includes(0)) throw new ParseError('NUL in literal; use a binary literal');
    return { kind: 'string', value, literal: true, ...(binary ? { binary } : {}) };
  }

  /**
   * An atom. A "[" opens a section (`BODY[HEADER.FIELDS (To)]`, `BODY.PEEK[1.2]<0.100>`) whose spaces
   * and parentheses belong to the atom until the matching "]".
   */
  private atom(): ImapValue {
    const start = this.pos;
    let brackets = 0;
    while (this.pos < this.bytes.length) {
      const b = this.bytes[this.pos];
      if (b === LBRACKET) brackets++;
      else if (b === RBRACKET && brackets > 0) brackets--;
      else if (brackets === 0 && (b === SP || b === LPAREN || b === RPAREN || b === CR || b === LF)) break;
      else if (b === CR || b === LF) throw new ParseError('Unterminated "["');
      else if (b < 0x20 || b === 0x7f || b === DQUOTE || b === LBRACE) throw new ParseError('Invalid character in atom');
      this.pos++;
    }
    if (brackets > 0) throw new ParseError('Unterminated "["');
    return { kind: 'atom', value: this.bytes.toString('utf8', start, this.pos) };
  }
}

function isAtomChar(b: number): boolean {
  return b > SP && b < 0x7f && b !== LPAREN && b !== RPAREN && b !== LBRACE && b !== DQUOTE && b !== LBRACKET;
}

/** For tests and logs: the command as the parser saw it. */
export function describeCommand(command: ImapCommand): string {
  return `${command.tag} ${command.verb}`;
}
