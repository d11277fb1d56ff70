import { describe, expect, it } from 'vitest';
import { LineEndingNormalizer } from './line-endings.js';

function run(chunks: string[]): { out: string; bare: boolean } {
  const normalizer = new LineEndingNormalizer();
  const parts = chunks.map((chunk) => normalizer.push(Buffer.from(chunk, 'latin1')));
  parts.push(normalizer.end());
  return { out: Buffer.concat(parts).toString('latin1'), bare: normalizer.bare };
}

describe('LineEndingNormalizer', () => {
  it('passes CRLF data through untouched, also when CRLF straddles chunks', () => {
    expect(run(['a\r\nb\r', '\nc\r\n'])).toEqual({ out: 'a\r\nb\r\nc\r\n', bare: false });
  });

  it('turns the smuggling vectors into CRLF lines', () => {
    expect(run(['x\n.\ny'])).toEqual({ out: 'x\r\n.\r\ny', bare: true });
    expect(run(['x\n.\r\ny']).out).toBe('x\r\n.\r\ny');
    expect(run(['x\r\n.\ny']).out).toBe('x\r\n.\r\ny');
    expect(run(['x\r.\ry']).out).toBe('x\r\n.\r\ny');
  });

  it('handles a bare CR at a chunk end and at the end of data', () => {
    expect(run(['a\r', 'b'])).toEqual({ out: 'a\r\nb', bare: true });
    expect(run(['a\r'])).toEqual({ out: 'a\r\n', bare: true });
    expect(run(['a\r', '\r\n'])).toEqual({ out: 'a\r\n\r\n', bare: true });
  });
});
