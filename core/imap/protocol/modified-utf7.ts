/**
 * Modified UTF-7 mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself except "&", which is
 * written "&-"; everything else is UTF-16 in modified base64 (with "," for "/") between "&" and "-".
 */
export function encodeModifiedUtf7(name: string): string {
  let out = '';
  let pending: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const bytes = Buffer.alloc(pending.length * 2);
    pending.forEach((unit, i) => bytes.writeUInt16BE(unit, i * 2));
    out += '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += code === 0x26 ? '&-' : name[i];
    } else {
      pending.push(code);
    }
  }
  flush();
  return out;
}

/** Decodes modified UTF-7; returns null for a name that is not valid modified UTF-7. */
export function decodeModifiedUtf7(name: string): string | null {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i];
    const code = name.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return null;
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = name.indexOf('-', i + 1);
    if (end < 0) return null;
    const encoded = name.slice(i + 1, end);
    i = end + 1;
    if (encoded === '') {
      out += '&';
      continue;
    }
    if (!/^[A-Za-z0-9+,]+$/.test(encoded)) return null;
    const bytes = Buffer.from(encoded.replace(/,/g, '/'), 'base64');
    if (bytes.length % 2 !== 0 || bytes.length === 0) return null;
    for (let j = 0; j < bytes.length; j += 2) out += String.fromCharCode(bytes.readUInt16BE(j));
  }
  return out;
}
