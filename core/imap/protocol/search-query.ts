import type { ImapValue } from './imap-values.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';

export type FlagKey = 'seen' | 'answered' | 'flagged' | 'deleted' | 'draft';
export type TextField = 'bcc' | 'cc' | 'from' | 'to' | 'subject' | 'body' | 'text';

export type SearchKey =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'flag'; flag: FlagKey; set: boolean }
  | { kind: 'keyword'; keyword: string; set: boolean }
  | { kind: 'text'; field: TextField; value: string }
  | { kind: 'header'; field: string; value: string }
  | { kind: 'date'; which: 'internal' | 'sent'; op: 'before' | 'on' | 'since'; day: number }
  | { kind: 'size'; op: 'larger' | 'smaller'; size: number }
  | { kind: 'uid'; set: SequenceSet }
  | { kind: 'seq'; set: SequenceSet }
  | { kind: 'modseq'; modseq: number }
  | { kind: 'recent'; set: boolean }
  | { kind: 'older' | 'younger'; seconds: number }
  | { kind: 'not'; key: SearchKey }
  | { kind: 'or'; left: SearchKey; right: SearchKey }
  | { kind: 'and'; keys: SearchKey[] };

export type ReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

export interface SearchQuery {
  /** RFC 4731 ESEARCH: present when the command had RETURN (...). */
  returnOptions: ReturnOption[] | null;
  charset: string | null;
  key: SearchKey;
}

class SearchError extends Error {}

/**
 * Search keys in one command: each is evaluated on every message, so the count multiplies the cost of a search
 * (`SEARCH ALL ALL ALL ...` filling a 1 MiB command would be 250,000 passes over the mailbox).
 */
export const MAX_SEARCH_KEYS = 256;
/** Nesting of parenthesised lists, NOT and OR. */
export const MAX_SEARCH_DEPTH = 32;

const FLAG_KEYS: Record<string, [FlagKey, boolean]> = {
  ANSWERED: ['answered', true],
  DELETED: ['deleted', true],
  DRAFT: ['draft', true],
  FLAGGED: ['flagged', true],
  SEEN: ['seen', true],
  UNANSWERED: ['answered', false],
  UNDELETED: ['deleted', false],
  UNDRAFT: ['draft', false],
  UNFLAGGED: ['flagged', false],
  UNSEEN: ['seen', false],
};
const TEXT_KEYS = new Set(['BCC', 'CC', 'FROM', 'TO', 'SUBJECT', 'BODY', 'TEXT']);
const DATE_KEYS: Record<string, ['internal' | 'sent', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses SEARCH arguments (RFC 3501 §6.4.4, RFC 9051 §6.4.4, RFC 4731 RETURN, RFC 7162 MODSEQ).
 * `decode` turns a string argument into text for the charset given.
 */
export function parseSearch(
  args: readonly ImapValue[],
  decode: (bytes: Buffer, charset: string | null) => string | null,
): SearchQuery | string {
  const reader = new ArgReader(args);
  try {
    let returnOptions: ReturnOption[] | null = null;
    let charset: string | null = null;
    if (reader.peekAtom() === 'RETURN') {
      reader.next();
      const list = reader.next();
      if (list.kind !== 'list') throw new SearchError('RETURN needs a list');
      returnOptions = [];
      for (const item of list.items) {
        const name = item.kind === 'atom' ? item.value.toUpperCase() : '';
        if (!['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE'].includes(name)) throw new SearchError(`Unknown RETURN option ${name}`);
        returnOptions.push(name as ReturnOption);
      }
      // RFC 4731 §3.1: RETURN () means RETURN (ALL).
      if (returnOptions.length === 0) returnOptions = ['ALL'];
    }
    if (reader.peekAtom() === 'CHARSET') {
      reader.next();
      charset = reader.string();
      if (decode(Buffer.from('a'), charset) === null) return `[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset ${charset}`;
    }
    const keys: SearchKey[] = [];
    const parser = new KeyParser(reader, charset, decode, { keys: 0 });
    while (!reader.done()) keys.push(parser.key(0));
    if (keys.length === 0) throw new SearchError('Missing search key');
    return { returnOptions, charset, key: keys.length === 1 ? keys[0] : { kind: 'and', keys } };
  } catch (error) {
    if (error instanceof SearchError) return error.message;
    throw error;
  }
}

class ArgReader {
  private pos = 0;

  constructor(private readonly args: readonly ImapValue[]) {}

  done(): boolean {
    return this.pos >= this.args.length;
  }

  peekAtom(): string | null {
    const value = this.args[this.pos];
    return value?.kind === 'atom' ? value.value.toUpperCase() : null;
  }

  /** The next argument as text when it is an atom or a string, without consuming it. */
  peekText(): string | null {
    const value = this.args[this.pos];
    if (!value || value.kind === 'list') return null;
    return value.kind === 'atom' ? value.value : value.value.toString('utf8');
  }

  next(): ImapValue {
    const value = this.args[this.pos++];
    if (!value) throw new SearchError('Missing search argument');
    return value;
  }

  string(): string {
    const value = this.next();
    if (value.kind === 'list') throw new SearchError('Expected a string');
    return value.kind === 'atom' ? value.value : value.value.toString('utf8');
  }

  bytes(): Buffer {
    const value = this.next();
    if (value.kind === 'list') throw new SearchError('Expected a string');
    return value.kind === 'atom' ? Buffer.from(value.value, 'utf8') : value.value;
  }
}

class KeyParser {
  constructor(
    private readonly reader: ArgReader,
    private readonly charset: string | null,
    private readonly decode: (bytes: Buffer, charset: string | null) => string | null,
    private readonly count: { keys: number },
  ) {}

  key(depth: number): SearchKey {
    if (depth > MAX_SEARCH_DEPTH) throw new SearchError('Search keys nested too deeply');
    if (++this.count.keys > MAX_SEARCH_KEYS) throw new SearchError(`Too many search keys (limit ${MAX_SEARCH_KEYS})`);
    const value = this.reader.next();
    if (value.kind === 'list') {
      if (value.items.length === 0) throw new SearchError('Empty search key list');
      const inner = new KeyParser(new ArgReader(value.items), this.charset, this.decode, this.count);
      const keys: SearchKey[] = [];
      while (!inner.reader.done()) keys.push(inner.key(depth + 1));
      return keys.length === 1 ? keys[0] : { kind: 'and', keys };
    }
    if (value.kind !== 'atom') throw new SearchError('Search key expected');
    const name = value.value.toUpperCase();
    const flag = FLAG_KEYS[name];
    if (flag) return { kind: 'flag', flag: flag[0], set: flag[1] };
    if (TEXT_KEYS.has(name)) return { kind: 'text', field: name.toLowerCase() as TextField, value: this.text() };
    const date = DATE_KEYS[name];
    if (date) return { kind: 'date', which: date[0], op: date[1], day: parseDay(this.reader.string()) };
    switch (name) {
      case 'ALL':
        return { kind: 'all' };
      // RFC 3501 §6.4.4: RECENT, OLD (NOT RECENT) and NEW (RECENT UNSEEN), after the session's \Recent.
      case 'RECENT':
      case 'OLD':
        return { kind: 'recent', set: name === 'RECENT' };
      case 'NEW':
        return {
          kind: 'and',
          keys: [
            { kind: 'recent', set: true },
            { kind: 'flag', flag: 'seen', set: false },
          ],
        };
      case 'KEYWORD':
      case 'UNKEYWORD':
        return { kind: 'keyword', keyword: this.reader.string(), set: name === 'KEYWORD' };
      case 'HEADER': {
        const field = this.reader.string();
        return { kind: 'header', field, value: this.text() };
      }
      case 'LARGER':
      case 'SMALLER':
        return { kind: 'size', op: name === 'LARGER' ? 'larger' : 'smaller', size: this.number() };
      case 'UID':
        return { kind: 'uid', set: this.sequence() };
      case 'NOT':
        return { kind: 'not', key: this.key(depth + 1) };
      case 'OR': {
        const left = this.key(depth + 1);
        return { kind: 'or', left, right: this.key(depth + 1) };
      }
      case 'OLDER':
      case 'YOUNGER':
        return { kind: name === 'OLDER' ? 'older' : 'younger', seconds: this.number() };
      case 'MODSEQ': {
        // RFC 7162 §3.1.5: MODSEQ [entry-name entry-type-req] mod-sequence-valzer. The entry name is a quoted
        // string ("/flags/\\seen"); per-flag MODSEQs are not kept, so the message's MODSEQ answers for each entry.
        if (!/^\d+$/.test(this.reader.peekText() ?? '')) {
          this.reader.string();
          const type = this.reader.string().toLowerCase();
          if (type !== 'priv' && type !== 'shared' && type !== 'all')
            throw new SearchError(`Invalid MODSEQ entry type ${type.slice(0, 20)}`);
        }
        return { kind: 'modseq', modseq: this.number() };
      }
      default: {
        const set = parseSequenceSet(value.value);
        if (set) return { kind: 'seq', set };
        throw new SearchError(`Unknown search key ${value.value.slice(0, 40)}`);
      }
    }
  }

  private text(): string {
    const text = this.decode(this.reader.bytes(), this.charset);
    if (text === null) throw new SearchError('Search string is not valid in its charset');
    return text;
  }

  private number(): number {
    const text = this.reader.string();
    if (!/^\d{1,19}$/.test(text)) throw new SearchError(`Expected a number, got ${text.slice(0, 20)}`);
    return Number(text);
  }

  private sequence(): SequenceSet {
    const text = this.reader.string();
    const set = parseSequenceSet(text);
    if (!set) throw new SearchError(`Invalid sequence set ${text.slice(0, 40)}`);
    return set;
  }
}

/** RFC 3501 date: `1-Feb-1994` or `01-Feb-1994`; the start of that day in UTC, ms. */
export function parseDay(text: string): number {
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  const month = match ? MONTHS.indexOf(match[2].toLowerCase()) : -1;
  if (!match || month < 0) throw new SearchError(`Invalid date ${text.slice(0, 20)}`);
  return Date.UTC(Number(match[3]), month, Number(match[1]));
}
