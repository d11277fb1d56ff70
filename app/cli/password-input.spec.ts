import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPasswordLine } from './password-input.js';

describe('readPasswordLine', () => {
  it('returns the first line without its line ending', async () => {
    expect(await readPasswordLine(Readable.from([Buffer.from('sec'), Buffer.from('ret\r\nnext line\n')]))).toEqual({
      ok: true,
      password: 'secret',
    });
  });

  it('takes a last line without a line ending', async () => {
    expect(await readPasswordLine(Readable.from([Buffer.from('no newline')]))).toEqual({ ok: true, password: 'no newline' });
  });

  it('refuses empty input', async () => {
    expect(await readPasswordLine(Readable.from([]))).toEqual({ ok: false, reason: 'no password on standard input' });
    expect(await readPasswordLine(Readable.from([Buffer.from('\n')]))).toMatchObject({ ok: false });
  });

  it('stops at the size limit on a stream that never ends', async () => {
    const input = new PassThrough();
    const result = readPasswordLine(input, 8);
    input.write('0123456789');
    expect(await result).toMatchObject({ ok: false, reason: 'the password line on standard input is longer than 8 bytes' });
  });

  it('keeps a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('pässwört\n');
    expect(await readPasswordLine(Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]))).toEqual({ ok: true, password: 'pässwört' });
  });
});
