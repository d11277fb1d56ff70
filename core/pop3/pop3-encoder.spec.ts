import { describe, expect, it } from 'vitest';
import { crlfMeasure } from '../mime/line-ends.js';
import { encodeMessage, Pop3Encoder, pop3Octets } from './pop3-encoder.js';

const text = (buffer: Buffer) => buffer.toString('latin1');

function encodeInChunks(raw: Buffer, size: number, bodyLines: number | null = null): string {
  const encoder = new Pop3Encoder({ stuffDots: true, bodyLines });
  const out: Buffer[] = [];
  for (let i = 0; i < raw.length && !encoder.done; i += size) out.push(...encoder.push(raw.subarray(i, i + size)));
  out.push(...encoder.end());
  return text(Buffer.concat(out));
}

describe('POP3 encoder', () => {
  it('passes a CRLF message without dot lines through as the same buffer', () => {
    const raw = Buffer.from('Subject: a\r\n\r\nbody\r\n');
    const { data, octets } = encodeMessage(raw);
    expect(data).toBe(raw);
    expect(octets).toBe(raw.length);
  });

  it('turns bare LF into CRLF and counts it', () => {
    const raw = Buffer.from('Subject: a\n\nline 1\nline 2\n');
    expect(text(encodeMessage(raw).data)).toBe('Subject: a\r\n\r\nline 1\r\nline 2\r\n');
    expect(pop3Octets(raw)).toBe(raw.length + 4);
  });

  it('stuffs leading dots without counting them', () => {
    const raw = Buffer.from('.Subject: odd\r\n\r\n.\r\n..two\r\nend.\r\n');
    const { data, octets } = encodeMessage(raw);
    expect(text(data)).toBe('..Subject: odd\r\n\r\n..\r\n...two\r\nend.\r\n');
    expect(octets).toBe(raw.length);
  });

  it('ends an unterminated last line', () => {
    expect(text(encodeMessage(Buffer.from('A: b\r\n\r\nno end')).data)).toBe('A: b\r\n\r\nno end\r\n');
    expect(text(encodeMessage(Buffer.from('A: b\r\n\r\nends in CR\r')).data)).toBe('A: b\r\n\r\nends in CR\r\n');
    expect(pop3Octets(Buffer.from('x'))).toBe(3);
  });

  it('gives the same bytes whatever the chunking', () => {
    const raw = Buffer.from('From: a\n.hidden: x\r\n\r\n.\nmid\r\n\n..\r\nlast');
    const whole = text(encodeMessage(raw).data);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(encodeInChunks(raw, size)).toBe(whole);
  });

  it('TOP 0 sends the header and the blank line', () => {
    const raw = Buffer.from('A: 1\r\nB: 2\r\n\r\nbody 1\r\nbody 2\r\n');
    expect(text(encodeMessage(raw, 0).data)).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(text(encodeMessage(raw, 1).data)).toBe('A: 1\r\nB: 2\r\n\r\nbody 1\r\n');
    expect(text(encodeMessage(raw, 9).data)).toBe(text(raw));
    for (const size of [1, 2, 3]) expect(encodeInChunks(raw, size, 1)).toBe('A: 1\r\nB: 2\r\n\r\nbody 1\r\n');
  });

  it('TOP on LF-only messages and on a message without a body', () => {
    expect(text(encodeMessage(Buffer.from('A: 1\n\n.b1\nb2\n'), 1).data)).toBe('A: 1\r\n\r\n..b1\r\n');
    expect(text(encodeMessage(Buffer.from('A: 1\r\nB: 2'), 0).data)).toBe('A: 1\r\nB: 2\r\n');
  });
});

describe('crlfMeasure', () => {
  it('counts the octets RETR sends before dot-stuffing, and the lines, for every kind of line end', () => {
    const samples = [
      '',
      'x',
      'a\r\nb\r\n',
      'a\nb\n',
      'a\r\nb\nc',
      'ends in CR\r',
      '\n\n\r\n',
      '.dotted\r\n..twice\n.\r\nlast',
      'CR alone \r in a line\r\n',
    ];
    for (const sample of samples) {
      const raw = Buffer.from(sample, 'latin1');
      const encoder = new Pop3Encoder({ stuffDots: false, bodyLines: null });
      const wire = Buffer.concat([...encoder.push(raw), ...encoder.end()]).toString('latin1');
      expect(crlfMeasure(raw), JSON.stringify(sample)).toEqual({ octets: pop3Octets(raw), lines: wire.split('\r\n').length - 1 });
    }
  });
});
