import { describe, expect, it } from 'vitest';
import { contentDisposition, safeMediaType } from './content-disposition.js';

describe('Content-Disposition (RFC 6266)', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('résumé 2026.pdf')).toBe(
      `attachment; filename="r_sum_ 2026.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf`,
    );
  });

  it('keeps quotes, separators and line breaks out of the header', () => {
    const header = contentDisposition('a"b\\c/d\r\nX-Evil: 1.txt');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split('filename="')[1].split('"')[0]).toBe('a_b_c_d__X-Evil: 1.txt');
    expect(header).toContain("filename*=UTF-8''a%22b_c_d__X-Evil%3A%201.txt");
  });

  it('names a nameless part "attachment"', () => {
    expect(contentDisposition(null)).toBe(`attachment; filename="attachment"; filename*=UTF-8''attachment`);
  });

  it('accepts only token/token media types', () => {
    expect(safeMediaType('Image/PNG')).toBe('image/png');
    expect(safeMediaType('text/html\r\nX: y')).toBe('application/octet-stream');
    expect(safeMediaType('')).toBe('application/octet-stream');
  });
});
