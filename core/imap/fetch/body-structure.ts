import type { Envelope, EnvelopeAddress, MimePart } from '../../mime/message-analysis.types.js';
import { Joined, type OutValue } from '../protocol/imap-writer.js';

/** ENVELOPE (RFC 3501 §7.4.2 / §9 envelope): header values as stored, addresses as (name adl mailbox host). */
export function envelopeValue(envelope: Envelope): OutValue[] {
  return [
    envelope.date, envelope.subject, addresses(envelope.from), addresses(envelope.sender), addresses(envelope.replyTo),
    addresses(envelope.to), addresses(envelope.cc), addresses(envelope.bcc), envelope.inReplyTo, envelope.messageId,
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
    if (extended) value.push(params(part.params, ['boundary']), disposition(part), language(part), part.location);
    return value;
  }
  const type = part.type.toUpperCase();
  const subtype = part.subtype.toUpperCase();
  const value: OutValue[] = [
    type, subtype, params(part.params), part.id, part.description, part.encoding.toUpperCase(), part.bodyEnd - part.bodyStart,
  ];
  if (type === 'MESSAGE' && (subtype === 'RFC822' || subtype === 'GLOBAL') && part.message) {
    value.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.root, extended), part.bodyLines);
  } else if (type === 'TEXT') {
    value.push(part.bodyLines);
  }
  if (extended) value.push(part.md5, disposition(part), language(part), part.location);
  return value;
}

/** body-fld-param: ("NAME" "value" ...) or NIL; `first` keys come first (the multipart boundary). */
function params(map: Record<string, string>, first: string[] = []): OutValue {
  const keys = Object.keys(map);
  if (keys.length === 0) return null;
  keys.sort((a, b) => Number(!first.includes(a)) - Number(!first.includes(b)));
  return keys.flatMap((key) => [key.toUpperCase(), map[key]]);
}

function disposition(part: MimePart): OutValue {
  if (!part.disposition) return null;
  return [part.disposition.type.toUpperCase(), params(part.disposition.params)];
}

function language(part: MimePart): OutValue {
  if (!part.language || part.language.length === 0) return null;
  return part.language.length === 1 ? part.language[0] : part.language;
}
