import iconv from 'iconv-lite';

export interface Footer {
  text: string;
  /** HTML for the HTML parts; the text, escaped, when absent. */
  html?: string;
}

export type FooterResult = { changed: true; raw: Buffer } | { changed: false; reason: 'signed' | 'no-text-part' };

// RFC 1847 (multipart/signed, multipart/encrypted), RFC 8551 (S/MIME), RFC 3156 (PGP/MIME): a changed byte breaks
// the signature or the encryption, so such messages are left alone; inline PGP too.
const PROTECTED = /^content-type:[ \t]*(multipart\/(signed|encrypted)|application\/(x-)?pkcs7-mime|application\/pgp-encrypted)/im;
const INLINE_PGP = /^-----BEGIN PGP (SIGNED )?MESSAGE-----/m;

interface Part {
  header: string;
  body: string;
}

/**
 * Adds a footer to a message's text: to a text/plain or text/html message, to both parts of multipart/alternative,
 * and to the first (body) part of multipart/mixed or related. Strings here hold bytes one for one (latin1), so every
 * part it does not rewrite stays byte for byte; a rewritten part becomes UTF-8 in base64.
 */
export function addFooter(raw: Buffer, footer: Footer): FooterResult {
  const text = raw.toString('latin1');
  if (PROTECTED.test(text) || INLINE_PGP.test(text)) return { changed: false, reason: 'signed' };
  const rewritten = rewritePart(splitPart(text), footer);
  return rewritten === null ? { changed: false, reason: 'no-text-part' } : { changed: true, raw: Buffer.from(rewritten, 'latin1') };
}

function splitPart(text: string): Part {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { header: text, body: '' };
  return { header: text.slice(0, match.index + match[0].length), body: text.slice(match.index + match[0].length) };
}

/** Unfolded header fields by lower-case name (first occurrence). */
function field(header: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(header);
  return match ? match[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}

function param(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function rewritePart(part: Part, footer: Footer): string | null {
  const contentType = field(part.header, 'content-type') ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (/^attachment/i.test(field(part.header, 'content-disposition') ?? '')) return null;
  if (type === 'text/plain' || type === 'text/html') return rewriteLeaf(part, type, contentType, footer);
  if (!type.startsWith('multipart/')) return null;
  const boundary = param(contentType, 'boundary');
  if (!boundary) return null;
  const body = rewriteMultipart(part.body, boundary, type === 'multipart/alternative' ? 'all' : 'first', footer);
  return body === null ? null : part.header + body;
}

/** The children of a multipart body rewritten: every text child (alternative) or the first child (mixed, related). */
function rewriteMultipart(body: string, boundary: string, which: 'all' | 'first', footer: Footer): string | null {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`(^|\\r?\\n)--${escaped}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const marks = [...body.matchAll(delimiter)];
  if (marks.length < 2) return null;
  let result = body.slice(0, marks[0]!.index! + marks[0]![0].length);
  let changed = false;
  for (let i = 0; i < marks.length - 1; i++) {
    const start = marks[i]!.index! + marks[i]![0].length;
    const end = marks[i + 1]!.index!;
    const segment = body.slice(start, end);
    const lineEnd = /^\r?\n/.exec(segment)?.[0] ?? '';
    const content = segment.slice(lineEnd.length);
    const closing = marks[i]![2] === '--';
    const rewritten = !closing && (which === 'all' || i === 0) ? rewritePart(splitPart(content), footer) : null;
    if (rewritten !== null) changed = true;
    result += lineEnd + (rewritten ?? content) + marks[i + 1]![0];
  }
  result += body.slice(marks[marks.length - 1]!.index! + marks[marks.length - 1]![0].length);
  return changed ? result : null;
}

function rewriteLeaf(part: Part, type: string, contentType: string, footer: Footer): string {
  const encoding = (field(part.header, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(part.body)
        : Buffer.from(part.body, 'latin1');
  const charset = param(contentType, 'charset') ?? 'us-ascii';
  const decoded = iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8');
  const content = type === 'text/html' ? withHtmlFooter(decoded, footer) : withTextFooter(decoded, footer.text);
  let header = setField(part.header, 'Content-Type', `${type}; charset=utf-8`);
  header = setField(header, 'Content-Transfer-Encoding', 'base64');
  const newline = /\r\n/.test(part.header) ? '\r\n' : '\n';
  const base64 = Buffer.from(content, 'utf8')
    .toString('base64')
    .replace(/.{1,76}/g, (line) => `${line}${newline}`);
  return header + base64;
}

function withTextFooter(text: string, footer: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const body = text.replace(/(\r?\n)*$/, '');
  // RFC 3676 §4.3: "-- " on a line of its own starts a signature block, which clients show apart.
  return `${body}${newline}${newline}-- ${newline}${footer.replace(/\r?\n/g, newline)}${newline}`;
}

function withHtmlFooter(html: string, footer: Footer): string {
  const block = `<div class="mailhive-disclaimer">${footer.html ?? escapeHtml(footer.text).replace(/\r?\n/g, '<br>')}</div>`;
  const close = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return close >= 0 ? `${html.slice(0, close)}${block}${html.slice(close)}` : `${html}${block}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(soft.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The header block with `name` set to `value`: its old field (with continuation lines) removed, the new one last. */
function setField(header: string, name: string, value: string): string {
  const newline = /\r\n/.test(header) ? '\r\n' : '\n';
  const without = header.replace(new RegExp(`^${name}:.*(?:\\r?\\n[ \\t].*)*\\r?\\n`, 'gim'), '');
  const body = without.replace(/(\r?\n)+$/, '');
  return `${body}${body ? newline : ''}${name}: ${value}${newline}${newline}`;
}
