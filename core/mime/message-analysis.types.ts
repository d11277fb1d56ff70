import type { CrlfMeasure } from './line-ends.js';

/** IMAP ENVELOPE fields (RFC 3501 §7.4.2), header values still in their raw (possibly encoded-word) form. */
export interface EnvelopeAddress {
  name: string | null;
  /** Source route (obsolete, normally null). */
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

/**
 * One MIME entity of a message with the byte offsets IMAP needs for BODY[section] and BODYSTRUCTURE.
 * Offsets are into the raw message as stored.
 */
export interface MimePart {
  /** Byte offset where this entity's header starts. */
  headerStart: number;
  /** Byte offset where the body starts (after the blank line). */
  bodyStart: number;
  /** Byte offset where the body ends (exclusive); bodyEnd - bodyStart is the BODYSTRUCTURE size. */
  bodyEnd: number;
  /**
   * Lines in the body (for text/* and message/rfc822 BODYSTRUCTURE): the number of line breaks. Computed for every
   * part.
   */
  bodyLines: number;
  /** Lowercased, as is subtype. */
  type: string;
  subtype: string;
  /**
   * Lowercased names, values as written, in the order written (see parseParameterizedValue: RFC 2231 values stay
   * encoded); a text part without a charset parameter gets charset=us-ascii (RFC 2045 §5.2).
   */
  params: Record<string, string>;
  id: string | null;
  description: string | null;
  /** Content-Transfer-Encoding, lowercased; '7bit' when absent. */
  encoding: string;
  md5: string | null;
  disposition: { type: string; params: Record<string, string> } | null;
  language: string[] | null;
  location: string | null;
  /** Children of a multipart/*. */
  parts?: MimePart[];
  /** The encapsulated message of a message/rfc822 part. */
  message?: { envelope: Envelope; root: MimePart };
  /**
   * Decoded file name (Content-Disposition filename, else Content-Type name), RFC 2231 and RFC 2047
   * decoded; absent when the part names no file.
   */
  filename?: string;
}

/**
 * Version of what analyzeMessage computes into StoredStructure (and search text). Raise it whenever a change to
 * core/mime changes a cached answer; rows cached by an older version are analysed again when read (see
 * isCurrentStructure). 2: body-fld-lines counts line breaks, text parts carry the default charset, parameters stay as
 * sent (RFC 2231 included), multiparts without delimiters get an empty part, repeated envelope fields, search text
 * of every text part in a header section and a body section.
 */
export const STRUCTURE_VERSION = 2;

/** The cached analysis kept in the message row's `structure` column. */
export interface StoredStructure {
  envelope: Envelope;
  root: MimePart;
  inReplyTo: string;
  references: string[];
  /** STRUCTURE_VERSION when cached; absent in rows cached before versions were recorded (version 1). */
  version?: number;
}

/** The structure to cache for an analysis, stamped with the current version. */
export function storedStructureOf(analysis: MessageAnalysis): StoredStructure {
  return {
    envelope: analysis.envelope,
    root: analysis.root,
    references: analysis.references,
    inReplyTo: analysis.inReplyTo,
    version: STRUCTURE_VERSION,
  };
}

/** Whether a cached structure was computed by the current analysis; if not, read the raw message and analyse again. */
export function isCurrentStructure(structure: StoredStructure): boolean {
  return structure.version === STRUCTURE_VERSION;
}

/** What the store keeps beside each message, computed once at delivery. */
export interface MessageAnalysis {
  envelope: Envelope;
  root: MimePart;
  /** Decoded subject. */
  subject: string;
  /** Decoded first From address, `Name <addr>` or `addr`. */
  from: string;
  messageId: string;
  inReplyTo: string;
  references: string[];
  /** Date header in ms since the epoch, or null when absent or unparseable. */
  date: number | null;
  /** First characters of the decoded text body, whitespace folded. */
  preview: string;
  hasAttachments: boolean;
  /** Decoded headers and text bodies for SEARCH and GraphQL queries (bounded). */
  searchText: string;
  /** Octets and lines of the message with CRLF line ends (POP3 sizes), see crlfMeasure. */
  crlf: CrlfMeasure;
}
