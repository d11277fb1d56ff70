import { decodeWords } from '../../mime/decoded-text.js';

/**
 * RFC 5256 §2.1 base subject: decoded, whitespace folded, then "Re:", "Fw:", "Fwd:", "[blob]" prefixes and
 * "(fwd)" trailers removed until none is left; compared case-insensitively.
 */
export function baseSubject(subject: string | null): string {
  let text = decodeWords(subject ?? '').replace(/\s+/g, ' ').trim();
  for (;;) {
    const before = text;
    text = text.replace(/\s*\(fwd\)\s*$/i, '').trim();
    text = text.replace(/^(\[[^\]]*\]\s*)*(re|fwd?)\s*(\[[^\]]*\])?\s*:\s*/i, '').trim();
    const blob = /^\[[^\]]*\]\s*(.+)$/.exec(text);
    if (blob) text = blob[1].trim();
    if (text === before) break;
  }
  return text.toLowerCase();
}
