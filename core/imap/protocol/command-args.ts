import { IMAP_LIMITS } from './imap-limits.js';
import type { ImapValue } from './imap-values.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';

/** Arguments that do not fit the command's shape; the dispatcher answers it with a tagged BAD. */
export class BadArguments extends Error {}

/** Reads a command's arguments in order, each reader checking one shape. */
export class Args {
  private pos = 0;

  constructor(private readonly values: readonly ImapValue[]) {}

  get remaining(): number {
    return this.values.length - this.pos;
  }

  peek(): ImapValue | undefined {
    return this.values[this.pos];
  }

  peekAtom(): string | null {
    const value = this.values[this.pos];
    return value?.kind === 'atom' ? value.value.toUpperCase() : null;
  }

  any(what = 'argument'): ImapValue {
    const value = this.values[this.pos++];
    if (!value) throw new BadArguments(`Missing ${what}`);
    return value;
  }

  /** astring: atom, quoted or literal, as bytes. */
  bytes(what = 'argument'): Buffer {
    const value = this.any(what);
    if (value.kind === 'list') throw new BadArguments(`Expected ${what}, got a list`);
    return value.kind === 'atom' ? Buffer.from(value.value, 'utf8') : value.value;
  }

  string(what = 'argument'): string {
    return this.bytes(what).toString('utf8');
  }

  atom(what = 'argument'): string {
    const value = this.any(what);
    if (value.kind !== 'atom') throw new BadArguments(`Expected ${what}`);
    return value.value;
  }

  number(what = 'number'): number {
    const text = this.atom(what);
    if (!/^\d{1,19}$/.test(text)) throw new BadArguments(`Invalid ${what} ${text.slice(0, 20)}`);
    return Number(text);
  }

  list(what = 'list'): ImapValue[] {
    const value = this.any(what);
    if (value.kind !== 'list') throw new BadArguments(`Expected ${what} in parentheses`);
    return value.items;
  }

  optionalList(): ImapValue[] | null {
    return this.peek()?.kind === 'list' ? this.list() : null;
  }

  sequenceSet(): SequenceSet {
    const text = this.atom('sequence set');
    const set = parseSequenceSet(text);
    if (!set) throw new BadArguments(`Invalid sequence set ${text.slice(0, 40)}`);
    return set;
  }

  end(): void {
    if (this.pos < this.values.length) throw new BadArguments('Too many arguments');
  }
}

/** Atoms of a flag list such as `(\Seen $Forwarded)`; a single atom is accepted too (RFC 3501 §6.4.6). */
export function flagArgs(value: ImapValue): string[] {
  const items = value.kind === 'list' ? value.items : [value];
  if (items.length > IMAP_LIMITS.maxFlags) throw new BadArguments(`Too many flags (limit ${IMAP_LIMITS.maxFlags})`);
  return items.map((item) => {
    if (item.kind !== 'atom' || !/^\\?[^\s()\]{%*"\\]+$/.test(item.value)) throw new BadArguments('Invalid flag');
    // RFC 3501 §9: NIL is not an atom a flag may be; a client that sends it means "no flags" or made a mistake.
    if (item.value.toUpperCase() === 'NIL') throw new BadArguments('NIL is not a flag or keyword');
    if (item.value.length > IMAP_LIMITS.maxKeywordLength) throw new BadArguments(`Flag too long (limit ${IMAP_LIMITS.maxKeywordLength})`);
    return item.value;
  });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 3501 date-time `"17-Jul-1996 02:44:25 -0700"` in ms; null when invalid. */
export function parseDateTime(text: string): number | null {
  const match = /^\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const month = MONTHS.indexOf(match[2].toLowerCase());
  if (month < 0) return null;
  const utc = Date.UTC(Number(match[3]), month, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  const offset = (Number(match[8]) * 60 + Number(match[9])) * 60_000 * (match[7] === '+' ? 1 : -1);
  return utc - offset;
}
