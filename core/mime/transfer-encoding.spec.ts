import { describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, decodeTransferEncoding } from './transfer-encoding.js';

describe('decodeQuotedPrintable', () => {
  it('decodes escapes and soft line breaks (RFC 2045 §6.7)', () => {
    expect(decodeQuotedPrintable(Buffer.from('Caf=C3=A9 a=\r\nb =3D=\nc')).toString()).toBe('Café ab =c');
  });

  it('drops transport padding before a line break but keeps encoded spaces', () => {
    expect(decodeQuotedPrintable(Buffer.from('a  \r\nb=20\r\nc=20 \t\r\nd= \r\ne')).toString()).toBe('a\r\nb \r\nc \r\nde');
  });

  it('keeps a malformed "=" as it is', () => {
    expect(decodeQuotedPrintable(Buffer.from('100% =ZZ =')).toString()).toBe('100% =ZZ ');
  });
});

describe('decodeTransferEncoding', () => {
  it('decodes base64 across line breaks, passes identity encodings, refuses unknown ones', () => {
    expect(decodeTransferEncoding(Buffer.from('aGVs\r\nbG8=\r\n'), 'BASE64')?.toString()).toBe('hello');
    const body = Buffer.from([0xff, 0x00]);
    expect(decodeTransferEncoding(body, 'binary')).toBe(body);
    expect(decodeTransferEncoding(body, '8bit')).toBe(body);
    expect(decodeTransferEncoding(body, 'x-uuencode')).toBeNull();
  });
});
