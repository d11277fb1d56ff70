import type { Readable } from 'node:stream';
import type { Pop3Backend } from './pop3-backend.js';
import { encodeMessage, Pop3Encoder } from './pop3-encoder.js';
import type { MaildropMessage, Pop3Maildrop } from './pop3-maildrop.js';
import { POP3_LIMITS } from './pop3.limits.js';
import { err, ok, type Pop3Reply } from './pop3-reply.js';

/** The reply of RETR (bodyLines null) or TOP: message data read from the blob store and encoded for the wire. */
export async function sendMessage(
  backend: Pop3Backend,
  maildrop: Pop3Maildrop,
  message: MaildropMessage,
  bodyLines: number | null,
): Promise<Pop3Reply> {
  const content = await maildrop.contentWithReadAhead(message, (items) => backend.contents(items), {
    messages: POP3_LIMITS.readAheadMessages,
    octets: POP3_LIMITS.readAheadOctets,
    wholeMessageOctets: POP3_LIMITS.wholeMessageOctets,
  });
  if (content === null) return err(`message ${message.number} is no longer available`, 'SYS/PERM');
  const status = (octets: number | null) => (bodyLines === null ? `${octets} octets` : 'top of message follows');
  if (content.kind === 'buffer') {
    const { data, octets } = encodeMessage(content.raw, bodyLines);
    return ok(status(octets), { body: data });
  }
  if (bodyLines === null) await backend.measure([message]);
  return ok(status(message.octets), { body: encodeStream(content.open(), bodyLines) });
}

async function* encodeStream(source: Readable, bodyLines: number | null): AsyncIterable<Buffer> {
  const encoder = new Pop3Encoder({ stuffDots: true, bodyLines });
  try {
    for await (const chunk of source) {
      const parts = encoder.push(chunk as Buffer);
      if (parts.length > 0) yield Buffer.concat(parts);
      if (encoder.done) break;
    }
    const tail = encoder.end();
    if (tail.length > 0) yield Buffer.concat(tail);
  } finally {
    source.destroy();
  }
}
