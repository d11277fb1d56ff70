import { decodedPart, resolvePart, sectionBytes } from '../../mime/message-section.js';
import type { MessageDetail, MessageMeta } from '../imap-backend.js';
import type { FetchItem, SectionFetchItem } from '../protocol/fetch-attributes.js';
import { atom, formatInternalDate, literal, type OutValue } from '../protocol/imap-writer.js';
import { bodyStructureValue, envelopeValue } from './body-structure.js';

/** What one message offers to FETCH: metadata always, the cached structure and raw bytes when asked for. */
export interface FetchSource {
  meta: MessageMeta;
  detail: MessageDetail | null;
  raw: Buffer | null;
}

/** A section BINARY cannot decode (RFC 3516 §4.3: NO [UNKNOWN-CTE]). */
export class UnknownTransferEncoding extends Error {}

/** Whether an item needs the cached MIME structure; the whole message (BODY[], RFC822, BINARY[]) does not. */
export function needsDetail(items: readonly FetchItem[]): boolean {
  return items.some((item) =>
    item.kind === 'simple'
      ? ['ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'RFC822.HEADER', 'RFC822.TEXT'].includes(item.name)
      : item.section.parts.length > 0 || item.section.specifier !== '',
  );
}

export function needsRaw(items: readonly FetchItem[]): boolean {
  return items.some(
    (item) => item.kind !== 'simple' || item.name === 'RFC822' || item.name === 'RFC822.HEADER' || item.name === 'RFC822.TEXT',
  );
}

const TEXT_ITEMS = new Set(['UID', 'FLAGS', 'MODSEQ', 'RFC822.SIZE', 'INTERNALDATE']);

/** Items whose values are plain ASCII atoms and numbers, so a response line can be built as text directly. */
export function isTextOnly(items: readonly FetchItem[]): boolean {
  return items.every((item) => item.kind === 'simple' && TEXT_ITEMS.has(item.name));
}

/** Whether fetching the item sets \Seen (RFC 3501 §6.4.5: BODY[...] and RFC822 / RFC822.TEXT without PEEK). */
export function setsSeen(item: FetchItem): boolean {
  if (item.kind === 'simple') return item.name === 'RFC822' || item.name === 'RFC822.TEXT';
  return !item.peek;
}

/** The `NAME value` pairs of one item. */
export function itemValues(item: FetchItem, source: FetchSource): OutValue[] {
  const { meta, detail, raw } = source;
  if (item.kind === 'simple') {
    switch (item.name) {
      case 'UID':
        return [atom('UID'), meta.uid];
      case 'FLAGS':
        return [atom('FLAGS'), meta.flags.map(atom)];
      case 'INTERNALDATE':
        return [atom('INTERNALDATE'), formatInternalDate(meta.internalDate)];
      case 'RFC822.SIZE':
        return [atom('RFC822.SIZE'), meta.size];
      case 'MODSEQ':
        return [atom('MODSEQ'), [meta.modseq]];
      case 'ENVELOPE':
        return [atom('ENVELOPE'), envelopeValue(detail!.structure.envelope)];
      case 'BODYSTRUCTURE':
        return [atom('BODYSTRUCTURE'), bodyStructureValue(detail!.structure.root, true)];
      case 'BODY':
        return [atom('BODY'), bodyStructureValue(detail!.structure.root, false)];
      case 'RFC822':
        return [atom('RFC822'), literal(raw!)];
      case 'RFC822.HEADER':
        return [
          atom('RFC822.HEADER'),
          literal(sectionBytes(raw!, detail!.structure.root, { parts: [], specifier: 'HEADER' }) ?? Buffer.alloc(0)),
        ];
      case 'RFC822.TEXT':
        return [
          atom('RFC822.TEXT'),
          literal(sectionBytes(raw!, detail!.structure.root, { parts: [], specifier: 'TEXT' }) ?? Buffer.alloc(0)),
        ];
    }
  }
  return sectionValues(item, raw!, detail);
}

function sectionValues(item: SectionFetchItem, raw: Buffer, detail: MessageDetail | null): OutValue[] {
  const whole = item.section.parts.length === 0 && item.section.specifier === '';
  if (whole || !detail) {
    // BODY[] and BINARY[] are the whole message as stored (RFC 3501 §6.4.5, RFC 3516 §4.2).
    if (item.kind === 'BINARY.SIZE') return [atom('BINARY.SIZE[]'), raw.length];
    return [atom(`${item.kind}[]${origin(item)}`), partialLiteral(raw, item, item.kind === 'BINARY' && raw.includes(0))];
  }
  const root = detail.structure.root;
  if (item.kind === 'BODY') {
    const bytes = sectionBytes(raw, root, item.section);
    return [atom(`BODY[${item.label}]${origin(item)}`), partialLiteral(bytes ?? Buffer.alloc(0), item, false)];
  }
  const bytes = binaryBytes(raw, root, item.section.parts);
  if (item.kind === 'BINARY.SIZE') return [atom(`BINARY.SIZE[${item.label}]`), bytes?.length ?? 0];
  return [atom(`BINARY[${item.label}]${origin(item)}`), bytes === null ? null : partialLiteral(bytes, item, bytes.includes(0))];
}

/** BINARY[part]: the part's content with its transfer encoding removed. */
function binaryBytes(raw: Buffer, root: MessageDetail['structure']['root'], parts: number[]): Buffer | null {
  const part = resolvePart(root, parts);
  if (!part) return null;
  if (part.parts) return raw.subarray(part.bodyStart, part.bodyEnd);
  const decoded = decodedPart(raw, part);
  if (decoded === null) throw new UnknownTransferEncoding(part.encoding);
  return decoded;
}

/** RFC 3501 §6.4.5: the response names only the origin octet, `BODY[]<0>`. */
function origin(item: SectionFetchItem): string {
  return item.partial ? `<${item.partial.start}>` : '';
}

function partialLiteral(bytes: Buffer, item: SectionFetchItem, binary: boolean): OutValue {
  if (!item.partial) return literal(bytes, binary);
  const { start, length } = item.partial;
  return literal(bytes.subarray(Math.min(start, bytes.length), Math.min(start + length, bytes.length)), binary);
}
