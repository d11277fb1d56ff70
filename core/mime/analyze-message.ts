import { parseAddressList } from './address.parser.js';
import { decodeCharset } from './charset.js';
import { collectText, decodeWords, foldWhitespace, formatAddress, headerText, PREVIEW_LENGTH, SEARCH_TEXT_LIMIT } from './decoded-text.js';
import { parseEnvelope } from './envelope.parser.js';
import { firstField, parseHeader } from './header.parser.js';
import type { Envelope, MessageAnalysis, MimePart } from './message-analysis.types.js';
import { crlfMeasure } from './line-ends.js';
import { parseMimeTree, plainTextPart } from './mime-tree.parser.js';

/**
 * Analyses a raw message (as stored, CRLF or LF line ends) once at delivery: MIME structure with byte
 * offsets, IMAP envelope, decoded subject/from, preview and search text. Never throws: input that
 * cannot be analysed at all yields a single text/plain part over the whole message.
 */
export async function analyzeMessage(raw: Buffer): Promise<MessageAnalysis> {
  try {
    return analyze(raw);
  } catch {
    return fallbackAnalysis(raw);
  }
}

function analyze(raw: Buffer): MessageAnalysis {
  const header = parseHeader(raw, 0, raw.length);
  const root = parseMimeTree(raw);
  const envelope = parseEnvelope(raw, header);
  const charset = root.params['charset'] ?? null;

  const subjectField = firstField(header, 'subject');
  const subject = subjectField ? decodeWords(headerText(raw, subjectField, charset)) : '';
  const fromField = firstField(header, 'from');
  let from = '';
  if (fromField) {
    // Decode 8-bit bytes before parsing addresses, and encoded-words after: a decoded name may hold ',' or '"'.
    for (const address of parseAddressList(headerText(raw, fromField, charset))) {
      const text = formatAddress(address);
      if (text) {
        from = text;
        break;
      }
    }
  }
  const referencesField = firstField(header, 'references');
  const { searchText, preview } = collectText(raw, header, root);
  return {
    envelope,
    root,
    subject,
    from,
    messageId: envelope.messageId ?? '',
    inReplyTo: envelope.inReplyTo ?? '',
    references: referencesField ? parseReferences(headerText(raw, referencesField, null)) : [],
    date: parseDate(envelope.date),
    preview,
    hasAttachments: hasAttachment(root),
    searchText,
    crlf: crlfMeasure(raw),
  };
}

/** Message ids of a References header (RFC 2822 §3.6.4), in order, duplicates removed. */
export function parseReferences(value: string): string[] {
  const ids = value.match(/<[^<>\s]+>/g) ?? value.split(/\s+/).filter((s) => s !== '');
  return [...new Set(ids)];
}

/** Date header in ms since the epoch; comments such as "(PST)" are dropped first. */
export function parseDate(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value.replace(/\([^()]*\)/g, ' ').trim());
  return Number.isNaN(ms) ? null : ms;
}

/** An attachment is a part with disposition attachment, or a named leaf that is not text. */
export function hasAttachment(part: MimePart): boolean {
  if (part.disposition?.type === 'attachment') return true;
  if (part.parts) return part.parts.some(hasAttachment);
  if (part.message) return part.filename !== undefined || hasAttachment(part.message.root);
  return part.type !== 'text' && part.filename !== undefined;
}

function fallbackAnalysis(raw: Buffer): MessageAnalysis {
  const envelope: Envelope = {
    date: null,
    subject: null,
    from: null,
    sender: null,
    replyTo: null,
    to: null,
    cc: null,
    bcc: null,
    inReplyTo: null,
    messageId: null,
  };
  let text = '';
  try {
    text = decodeCharset(raw.subarray(0, SEARCH_TEXT_LIMIT), null);
  } catch {
    // The analysis must exist even when nothing of the message is readable.
  }
  return {
    envelope,
    root: plainTextPart(raw, 0, raw.length),
    subject: '',
    from: '',
    messageId: '',
    inReplyTo: '',
    references: [],
    date: null,
    preview: foldWhitespace(text.slice(0, PREVIEW_LENGTH * 8)).slice(0, PREVIEW_LENGTH),
    hasAttachments: false,
    searchText: text,
    crlf: crlfMeasure(raw),
  };
}
