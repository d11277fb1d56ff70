import type { SectionSpec, SectionSpecifier } from '../../mime/message-section.js';
import type { ImapValue } from './imap-values.js';

export type SimpleFetchItem =
  | 'UID'
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822.SIZE'
  | 'ENVELOPE'
  | 'BODY'
  | 'BODYSTRUCTURE'
  | 'MODSEQ'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.TEXT';

/** A BODY[...]/BINARY[...] item: which bytes, whether it sets \Seen, and the partial range. */
export interface SectionFetchItem {
  kind: 'BODY' | 'BINARY' | 'BINARY.SIZE';
  peek: boolean;
  section: SectionSpec;
  /** The section as written back in the response, e.g. `1.HEADER.FIELDS (FROM)`. */
  label: string;
  partial: { start: number; length: number } | null;
}

export type FetchItem = { kind: 'simple'; name: SimpleFetchItem } | SectionFetchItem;

const SIMPLE = new Set<SimpleFetchItem>([
  'UID',
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODY',
  'BODYSTRUCTURE',
  'MODSEQ',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
]);

/** RFC 3501 §6.4.5 macros. */
const MACROS: Record<string, SimpleFetchItem[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/**
 * Attributes in one FETCH: each section is produced for every message named, so a list of thousands would
 * multiply the work and the response (clients send about ten).
 */
export const MAX_FETCH_ATTRIBUTES = 64;

const SECTION_ITEM = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK|BINARY\.SIZE)\[([^\]]*)\](?:<(\d{1,10})\.(\d{1,10})>)?$/i;

/** Parses the fetch argument (an atom, or a list of atoms); a string describing the problem when invalid. */
export function parseFetchAttributes(value: ImapValue): FetchItem[] | string {
  if (value.kind === 'atom') {
    const macro = MACROS[value.value.toUpperCase()];
    if (macro) return macro.map((name) => ({ kind: 'simple', name }));
  }
  const atoms = value.kind === 'list' ? value.items : [value];
  if (atoms.length === 0) return 'Empty fetch attribute list';
  if (atoms.length > MAX_FETCH_ATTRIBUTES) return `Too many fetch attributes (limit ${MAX_FETCH_ATTRIBUTES})`;
  const items: FetchItem[] = [];
  for (const item of atoms) {
    if (item.kind !== 'atom') return 'Fetch attributes must be atoms';
    const parsed = parseItem(item.value);
    if (typeof parsed === 'string') return parsed;
    items.push(parsed);
  }
  return items;
}

function parseItem(text: string): FetchItem | string {
  const upper = text.toUpperCase();
  if (SIMPLE.has(upper as SimpleFetchItem)) return { kind: 'simple', name: upper as SimpleFetchItem };
  const match = SECTION_ITEM.exec(text);
  if (!match) return `Unknown fetch attribute ${text.slice(0, 40)}`;
  const name = match[1].toUpperCase();
  const binary = name.startsWith('BINARY');
  const section = parseSection(match[2], binary);
  if (typeof section === 'string') return section;
  if (name === 'BINARY.SIZE' && match[3] !== undefined) return 'BINARY.SIZE takes no partial';
  const partial = match[3] === undefined ? null : { start: Number(match[3]), length: Number(match[4]) };
  if (partial && partial.length === 0) return 'Partial length must be positive';
  return {
    kind: name === 'BINARY.SIZE' ? 'BINARY.SIZE' : binary ? 'BINARY' : 'BODY',
    peek: name.endsWith('.PEEK') || name === 'BINARY.SIZE',
    section,
    label: formatSection(section),
    partial,
  };
}

/** `1.2.HEADER.FIELDS (From To)` → parts and specifier; BINARY allows part numbers only (RFC 3516 §4.2). */
export function parseSection(text: string, binary: boolean): SectionSpec | string {
  const match = /^((?:[1-9]\d{0,8}\.)*[1-9]\d{0,8})?(?:\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME))?(?: \(([^()]*)\))?$/i.exec(
    text.trim(),
  );
  if (!match) return `Invalid section [${text.slice(0, 40)}]`;
  const parts = match[1] ? match[1].split('.').map(Number) : [];
  const specifier = (match[2]?.toUpperCase() ?? '') as SectionSpecifier;
  if (match[2] && !match[1] && text.trim().startsWith('.')) return 'Invalid section';
  if (match[1] && match[2] && !/\.[A-Za-z]/.test(text)) return 'Invalid section';
  if (binary && specifier !== '') return 'BINARY takes part numbers only';
  if (specifier === 'MIME' && parts.length === 0) return 'MIME needs a part number';
  const fieldsGiven = match[3] !== undefined;
  if ((specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT') !== fieldsGiven) return 'HEADER.FIELDS needs a field list';
  const fields = fieldsGiven
    ? match[3]
        .split(' ')
        .filter((field) => field !== '')
        .map((field) => field.replace(/^"|"$/g, ''))
    : undefined;
  if (fields && fields.length === 0) return 'Empty header field list';
  return { parts, specifier, ...(fields ? { fields } : {}) };
}

function formatSection(section: SectionSpec): string {
  const parts = section.parts.join('.');
  const specifier = section.specifier;
  let label = parts && specifier ? `${parts}.${specifier}` : parts || specifier;
  if (section.fields) label += ` (${section.fields.map((field) => field.toUpperCase()).join(' ')})`;
  return label;
}
