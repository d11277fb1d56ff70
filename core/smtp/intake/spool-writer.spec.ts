import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { headerBlock, MAX_HEADER_BYTES } from './header-limit.js';
import { spoolData } from './spool-writer.js';

describe('spoolData', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailhive-spool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chunks = (text: string, size: number) =>
    Readable.from(text.match(new RegExp(`[^]{1,${size}}`, 'g'))!.map((part) => Buffer.from(part, 'latin1')));

  it('keeps a small message in memory without a spool file', async () => {
    const result = await spoolData(chunks('Subject: a\r\n\r\nbody\r\n', 5), join(dir, 'small'), 1000);
    expect(result).toMatchObject({ path: null, complete: true, tooBig: false, received: 20, bareLineEndings: false });
    expect(result.head.toString()).toBe('Subject: a\r\n\r\nbody\r\n');
    expect(existsSync(join(dir, 'small'))).toBe(false);
  });

  it('spills a message over 64 KiB to the spool file, normalising bare line endings, keeping it in memory up to 256 KiB + 1', async () => {
    const body = `${'x'.repeat(98)}\n`.repeat(1000);
    const result = await spoolData(chunks(`Subject: b\r\n\r\n${body}`, 4096), join(dir, 'large'), 1_000_000);
    const expected = `Subject: b\r\n\r\n${body.replaceAll('\n', '\r\n')}`;
    expect(result).toMatchObject({ path: join(dir, 'large'), complete: false, bareLineEndings: true, headTruncated: false });
    expect(readFileSync(join(dir, 'large'), 'latin1')).toBe(expected);
    expect(result.head.toString('latin1')).toBe(expected);
  });

  it('keeps the first MAX_HEADER_BYTES + 1 bytes of a larger message in memory, so a header that does not end there is known to be too large', async () => {
    const text = `X-Pad: ${'z'.repeat(400_000)}

body
`;
    const result = await spoolData(chunks(text, 65_536), join(dir, 'huge'), 1_000_000);
    expect(result).toMatchObject({ complete: false, headTruncated: true });
    expect(result.head.toString('latin1')).toBe(text.slice(0, MAX_HEADER_BYTES + 1));
    expect(headerBlock(result.head, result.headTruncated)).toEqual({ kind: 'too-large' });
  });

  it('reads but drops everything past the size cap', async () => {
    const result = await spoolData(chunks('y'.repeat(200_000), 10_000), join(dir, 'big'), 100_000);
    expect(result).toMatchObject({ tooBig: true, received: 200_000 });
  });
});
