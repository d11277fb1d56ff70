import { describe, expect, it } from 'vitest';
import { headerBlock, MAX_HEADER_BYTES } from './header-limit.js';

describe('headerBlock', () => {
  const fields = (bytes: number) => `X-Pad: ${'a'.repeat(bytes - 'X-Pad: \r\n'.length)}\r\n`;

  it('takes a header block that ends within the bytes kept, up to MAX_HEADER_BYTES with its blank line', () => {
    const head = Buffer.from(`${fields(MAX_HEADER_BYTES - 2)}\r\nbody`);
    const block = headerBlock(head, true);
    expect(block.kind).toBe('whole');
    if (block.kind === 'whole') expect(block.header.bodyStart).toBe(MAX_HEADER_BYTES);
  });

  it('refuses one byte more, and a header that does not end within the bytes kept of a longer message', () => {
    expect(headerBlock(Buffer.from(`${fields(MAX_HEADER_BYTES - 1)}\r\nbody`), true)).toEqual({ kind: 'too-large' });
    expect(headerBlock(Buffer.from(fields(MAX_HEADER_BYTES)).subarray(0, MAX_HEADER_BYTES + 1), true)).toEqual({ kind: 'too-large' });
  });

  it('takes a whole message without a blank line as all header (RFC 5322 §3.5) when it is small enough', () => {
    expect(headerBlock(Buffer.from('Subject: x\r\nFrom: a@b\r\n'), false).kind).toBe('whole');
    expect(headerBlock(Buffer.from(fields(MAX_HEADER_BYTES + 1)), false)).toEqual({ kind: 'too-large' });
  });
});
