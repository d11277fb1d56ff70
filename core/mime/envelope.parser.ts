import { parseAddressList } from './address.parser.js';
import { fieldValue, type ParsedHeader } from './header.parser.js';
import type { Envelope, EnvelopeAddress } from './message-analysis.types.js';

/**
 * Builds the IMAP ENVELOPE (RFC 3501 §7.4.2) from a message header: values unfolded but not
 * decoded, NIL for an absent field. RFC 5322 §3.6 allows each of these fields once; when a message repeats one
 * anyway, the addresses of every occurrence are listed and the last occurrence of any other field is taken, as
 * Dovecot does, so that a client sees the same envelope from either server.
 */
export function parseEnvelope(raw: Buffer, header: ParsedHeader): Envelope {
  const lastValue = (name: string): string | null => {
    let value: string | null = null;
    for (const field of header.fields) if (field.name === name) value = fieldValue(raw, field);
    return value;
  };
  const addresses = (name: string): EnvelopeAddress[] | null => {
    const list: EnvelopeAddress[] = [];
    for (const field of header.fields) {
      if (field.name === name && list.length < MAX_ENVELOPE_ADDRESSES) list.push(...parseAddressList(fieldValue(raw, field)));
    }
    return list.length > 0 ? list.slice(0, MAX_ENVELOPE_ADDRESSES) : null;
  };
  const from = addresses('from');
  // RFC 3501 §7.4.2: an absent or empty Sender or Reply-To takes the value of From.
  const sender = addresses('sender') ?? copy(from);
  const replyTo = addresses('reply-to') ?? copy(from);
  return {
    date: lastValue('date'),
    subject: lastValue('subject'),
    from,
    sender,
    replyTo,
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    inReplyTo: lastValue('in-reply-to'),
    messageId: lastValue('message-id'),
  };
}

/** Addresses taken into one envelope field over all its occurrences; a header can repeat a field without bound. */
export const MAX_ENVELOPE_ADDRESSES = 10_000;

function copy(list: EnvelopeAddress[] | null): EnvelopeAddress[] | null {
  return list && list.map((address) => ({ ...address }));
}
