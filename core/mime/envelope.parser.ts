import { parseAddressList } from './address.parser.js';
import { firstValue, type ParsedHeader } from './header.parser.js';
import type { Envelope, EnvelopeAddress } from './message-analysis.types.js';

/**
 * Builds the IMAP ENVELOPE (RFC 3501 §7.4.2) from a message header: values unfolded but not
 * decoded, NIL for an absent field, the first occurrence of a repeated field.
 */
export function parseEnvelope(raw: Buffer, header: ParsedHeader): Envelope {
  const addresses = (name: string): EnvelopeAddress[] | null => {
    const value = firstValue(raw, header, name);
    if (value === null) return null;
    const list = parseAddressList(value);
    return list.length > 0 ? list : null;
  };
  const from = addresses('from');
  // RFC 3501 §7.4.2: an absent or empty Sender or Reply-To takes the value of From.
  const sender = addresses('sender') ?? copy(from);
  const replyTo = addresses('reply-to') ?? copy(from);
  return {
    date: firstValue(raw, header, 'date'),
    subject: firstValue(raw, header, 'subject'),
    from,
    sender,
    replyTo,
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    inReplyTo: firstValue(raw, header, 'in-reply-to'),
    messageId: firstValue(raw, header, 'message-id'),
  };
}

function copy(list: EnvelopeAddress[] | null): EnvelopeAddress[] | null {
  return list && list.map((address) => ({ ...address }));
}
