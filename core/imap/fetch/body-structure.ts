import type { Envelope, EnvelopeAddress, MimePart } from '../../mime/message-analysis.types.js';
import { Joined, type OutValue } from '../protocol/imap-writer.js';

/** ENVELOPE (RFC 3501 §7.4.2 / §9 envelope): header values as stored, addresses as (name adl mailbox host). */
export function envelopeValue(envelope: Envelope): OutValue[] {
  return [
    envelope.date,
    envelope.subject,
    addresses(envelope.from),
    addresses(envelope.sender),
    addresses(envelope.replyTo),
    addresses(envelope.to),
    addresses(envelope.cc),
    addresses(envelope.bcc),
    envelope.inReplyTo,
    envelope.messageId,
  ];
}

function addresses(list: EnvelopeAddress[] | null): OutValue {
  if (!list || list.length === 0) return null;
  return list.map((address) => [address.name, address.adl, address.mailbox, address.host]);
}

/**
 * BODYSTRUCTURE (`extended`) or BODY, following RFC 3501 §9 body grammar: multipart children then subtype and
 * body-ext-mpart (params, disposition, language, location); a leaf has type, subtype, body-fields, then
 * lines for text, envelope + body + lines for message/rfc822, and body-ext-1part (md5, disposition, language,
 * location).
 */
export function bodyStructureValue(part: MimePart, extended: boolean): OutValue[] {
  if (part.parts && part.parts.length > 0) {
    const value: OutValue[] = [new Joined(part.parts.map((child) => bodyStructureValue(child, extended))), part.subtype.toUpperCase()];
    if (extended) value.push(params(part.params), disposition(part), language(part), part.location);
    return value;
  }
  const type = part.type.toUpperCase();
  const subtype = part.subtype.toUpperCase();
  const value: OutValue[] = [
    type,
    subtype,
    params(part.params),
    part.id,
    part.description,
    part.encoding.toUpperCase(),
    part.bodyEnd - part.bodyStart,
  ];
  if (type === 'MESSAGE' && (subtype === 'RFC822' || subtype === 'GLOBAL') && part.message) {
    value.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.root, extended), part.bodyLines);
  } else if (type === 'TEXT') {
    value.push(part.bodyLines);
  }
  if (extended) value.push(part.md5, disposition(part), language(part), part.location);
  return value;
}

/** body-fld-param: ("NAME" "value" ...) in the order the header gives them, or NIL. */
function params(map: Record<string, string>): OutValue {
  const keys = Object.keys(map);
  if (keys.length === 0) return null;
  return keys.flatMap((key) => [key.toUpperCase(), map[key]]);
}

function disposition(part: MimePart): OutValue {
  if (!part.disposition) return null;
  return [part.disposition.type.toUpperCase(), params(part.disposition.params)];
}

function language(part: MimePart): OutValue {
  // body-fld-lang (RFC 3501 §9) may be one string or a list; always a list, as Dovecot sends it, so that clients
  // see one form whatever the count.
  if (!part.language || part.language.length === 0) return null;
  return part.language;
}
