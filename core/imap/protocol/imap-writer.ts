/**
 * Response values (RFC 3501 §9): a JS string or Buffer is an IMAP string (quoted when it can be, else a
 * literal), a number is a number, null is NIL, an array is a parenthesised list, `atom()` is written as is
 * and `literal()` forces a literal.
 */
export type OutValue = string | Buffer | number | null | Atom | Literal | Joined | OutValue[];

export class Atom {
  constructor(readonly text: string) {}
}

export class Literal {
  /** `binary`: RFC 3516 literal8 `~{n}`, for data that may hold NUL. */
  constructor(
    readonly bytes: Buffer,
    readonly binary = false,
  ) {}
}

/** Values written one after another without spaces: RFC 3501 §9 body-type-mpart is `1*body SP media-subtype`. */
export class Joined {
  constructor(readonly values: OutValue[]) {}
}

export function atom(text: string): Atom {
  return new Atom(text);
}

export function literal(bytes: Buffer, binary = false): Literal {
  return new Literal(bytes, binary);
}

/** Quoted strings longer than this are sent as literals: clients handle both, literals need no escaping. */
const MAX_QUOTED = 1024;

export interface WriteOptions {
  /** After ENABLE UTF8=ACCEPT / IMAP4rev2, UTF-8 may appear in quoted strings (RFC 9051 §4.3). */
  utf8: boolean;
}

/** Serialises values separated by spaces into chunks; literals stay separate buffers so large bodies are not copied. */
export function encodeValues(values: readonly OutValue[], options: WriteOptions): Buffer[] {
  const line = encodeLine(values, options);
  return typeof line === 'string' ? [Buffer.from(line, 'utf8')] : line;
}

/** Like encodeValues, but a line without literals comes back as one string (the common, cheap case). */
export function encodeLine(values: readonly OutValue[], options: WriteOptions): string | Buffer[] {
  let chunks: Buffer[] | null = null;
  let text = '';
  const flushText = () => {
    chunks ??= [];
    if (text !== '') chunks.push(Buffer.from(text, 'utf8'));
    text = '';
  };
  const write = (value: OutValue): void => {
    if (value === null) text += 'NIL';
    else if (typeof value === 'number') text += String(value);
    else if (value instanceof Atom) text += value.text;
    else if (value instanceof Joined) value.values.forEach(write);
    else if (Array.isArray(value)) {
      text += '(';
      value.forEach((item, i) => {
        if (i > 0) text += ' ';
        write(item);
      });
      text += ')';
    } else {
      const bytes = value instanceof Literal ? null : value;
      if (bytes !== null && canQuote(bytes, options)) {
        // Buffers were checked to be ASCII, so the latin1 decoding is exact.
        text += quote(typeof bytes === 'string' ? bytes : bytes.toString('latin1'));
        return;
      }
      const raw = value instanceof Literal ? value.bytes : typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      text += `${value instanceof Literal && value.binary ? '~' : ''}{${raw.length}}\r\n`;
      flushText();
      chunks!.push(raw);
    }
  };
  values.forEach((value, i) => {
    if (i > 0) text += ' ';
    write(value);
  });
  if (chunks === null) return text;
  flushText();
  return chunks;
}

function canQuote(value: string | Buffer, options: WriteOptions): boolean {
  if (value.length > MAX_QUOTED) return false;
  for (let i = 0; i < value.length; i++) {
    const code = typeof value === 'string' ? value.charCodeAt(i) : value[i];
    if (code === 0 || code === 0x0a || code === 0x0d) return false;
    if (code > 0x7f && (!options.utf8 || typeof value !== 'string')) return false;
  }
  return true;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}

/** IMAP date-time (RFC 3501 §9 date-time): "17-Jul-1996 02:44:25 -0700", written in UTC. */
export function formatInternalDate(ms: number): string {
  const date = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}-${months[date.getUTCMonth()]}-${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
