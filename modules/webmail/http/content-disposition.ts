/**
 * `attachment; filename="report.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf` (RFC 6266 §4.3, RFC 8187): an ASCII
 * fallback for old clients and the exact UTF-8 name for the rest. Quotes, backslashes, control characters and
 * path separators never reach the header.
 */
export function contentDisposition(filename: string | null, type: 'attachment' | 'inline' = 'attachment'): string {
  const name = (filename ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'attachment';
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const TOKEN = /^[a-z0-9!#$&^_.+-]{1,127}\/[a-z0-9!#$&^_.+-]{1,127}$/;

/** A media type safe to echo in Content-Type, else application/octet-stream. */
export function safeMediaType(value: string | null | undefined): string {
  const type = (value ?? '').trim().toLowerCase();
  return TOKEN.test(type) ? type : 'application/octet-stream';
}
