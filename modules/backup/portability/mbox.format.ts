// mbox in the mboxrd variant: each message follows a `From ` separator line and is followed by one empty line; a
// line of the message starting with `From ` after any number of `>` gets one more `>`, which import takes away again,
// so the round trip is byte-exact. Flags travel as Status / X-Status / X-Keywords headers put in front of the
// message's own headers (where import finds and removes them), with the message's own line ending.

const FLAG_HEADERS = /^(Status|X-Status|X-Keywords):/i;

/** `From sender Mon Dec  7 10:00:00 2026`: the separator line (asctime date, UTC). */
export function separatorLine(sender: string, date: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()];
  const time = date.toISOString().slice(11, 19);
  return `From ${sender || 'MAILER-DAEMON'} ${day} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}\n`;
}

/** The asctime date of a separator line, or null when it has none. */
export function separatorDate(line: string): Date | null {
  const match = /(\w{3}) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4})\s*$/.exec(line);
  if (!match) return null;
  const date = new Date(`${match[1]} ${match[2]} ${match[4]} ${match[3]} UTC`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The Status, X-Status and X-Keywords headers of IMAP flags, ending in `eol`. */
export function flagHeaders(flags: readonly string[], eol: string): string {
  const has = (flag: string) => flags.includes(flag);
  const status = `${has('\\Seen') ? 'R' : ''}O`;
  const xStatus = `${has('\\Answered') ? 'A' : ''}${has('\\Flagged') ? 'F' : ''}${has('\\Draft') ? 'T' : ''}${has('\\Deleted') ? 'D' : ''}`;
  const keywords = flags.filter((flag) => !flag.startsWith('\\'));
  return `Status: ${status}${eol}X-Status: ${xStatus}${eol}${keywords.length > 0 ? `X-Keywords: ${keywords.join(' ')}${eol}` : ''}`;
}

/** The line ending a message uses (that of its first line). */
export function lineEnding(raw: Buffer): string {
  const newline = raw.indexOf(0x0a);
  return newline > 0 && raw[newline - 1] === 0x0d ? '\r\n' : '\n';
}

/** The message with `From ` lines quoted (mboxrd). */
export function quoteFromLines(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = 0; at <= raw.length;) {
    if (isQuotable(raw, at)) {
      parts.push(raw.subarray(start, at), Buffer.from('>'));
      start = at;
    }
    const newline = raw.indexOf(0x0a, at);
    if (newline < 0) break;
    at = newline + 1;
  }
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}

/** `>*From ` at `at`. */
function isQuotable(raw: Buffer, at: number): boolean {
  let position = at;
  while (raw[position] === 0x3e) position++;
  return raw.toString('latin1', position, position + 5) === 'From ';
}

/** One line of a message read from an mbox, without its quoting. */
export function unquoteLine(line: Buffer): Buffer {
  return line[0] === 0x3e && isQuotable(line, 0) ? line.subarray(1) : line;
}

/** The flags of the Status / X-Status / X-Keywords headers at the start of a message, and the message without them. */
export function takeFlagHeaders(raw: Buffer): { raw: Buffer; flags: string[] } {
  const flags = new Set<string>();
  let at = 0;
  for (;;) {
    const newline = raw.indexOf(0x0a, at);
    if (newline < 0) break;
    const line = raw.toString('latin1', at, newline).replace(/\r$/, '');
    const match = FLAG_HEADERS.exec(line);
    if (!match) break;
    const value = line.slice(match[0].length).trim();
    const name = match[1]!.toLowerCase();
    if (name === 'status' && value.includes('R')) flags.add('\\Seen');
    if (name === 'x-status') {
      if (value.includes('A')) flags.add('\\Answered');
      if (value.includes('F')) flags.add('\\Flagged');
      if (value.includes('T')) flags.add('\\Draft');
      if (value.includes('D')) flags.add('\\Deleted');
    }
    if (name === 'x-keywords') for (const keyword of value.split(/[\s,]+/)) if (keyword) flags.add(keyword);
    at = newline + 1;
  }
  return { raw: raw.subarray(at), flags: [...flags] };
}

export interface MboxMessage {
  /** The message as it was before export: unquoted, without the flag headers and the separator's empty line. */
  raw: Buffer;
  flags: string[];
  date: Date | null;
}

/** The messages of an mbox stream, one at a time; only one message is held in memory. */
export async function* readMbox(input: AsyncIterable<Buffer>): AsyncIterable<MboxMessage> {
  let lines: Buffer[] = [];
  let separator: string | null = null;
  const finish = (): MboxMessage | null => {
    if (separator === null) return null;
    let body = Buffer.concat(lines);
    // The empty line written after each message belongs to the format, not to the message.
    if (body.length > 0 && body[body.length - 1] === 0x0a) body = body.subarray(0, body.length - 1);
    const { raw, flags } = takeFlagHeaders(body);
    return { raw, flags, date: separatorDate(separator) };
  };
  let carry = Buffer.alloc(0);
  const onLine = function* (line: Buffer): Iterable<MboxMessage> {
    if (line.toString('latin1', 0, 5) === 'From ') {
      const done = finish();
      if (done) yield done;
      separator = line.toString('latin1').trimEnd();
      lines = [];
      return;
    }
    if (separator !== null) lines.push(unquoteLine(line));
  };
  for await (const chunk of input) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a, start)) {
      yield* onLine(Buffer.from(data.subarray(start, newline + 1)));
      start = newline + 1;
    }
    carry = Buffer.from(data.subarray(start));
    data = carry;
  }
  if (carry.length > 0) yield* onLine(carry);
  const last = finish();
  if (last) yield last;
}
