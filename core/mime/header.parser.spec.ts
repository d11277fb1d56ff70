import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldValue, parseHeader } from './header.parser.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/eml/${name}`, import.meta.url));

describe('parseHeader', () => {
  it('gives each field its byte range and skips lines that are not fields', () => {
    const raw = fixture('malformed-headers.eml');
    const header = parseHeader(raw, 0, raw.length);
    expect(header.fields.map((f) => f.name)).toEqual(['from', 'subject', 'x-latin1', 'to', 'content-type', 'content-type', 'date']);
    const from = header.fields[0]!;
    // "From nobody ...\r\n" is 38 bytes; the From field line is 37 bytes.
    expect(from).toEqual({ name: 'from', start: 38, end: 75, valueStart: 43 });
    expect(header.bodyStart).toBe(raw.indexOf('Body text.'));
    // Not valid UTF-8, so one character per byte.
    expect(fieldValue(raw, header.fields[2]!)).toBe('caf\u00e9');
  });

  it('treats the whole input as header when there is no blank line', () => {
    const raw = fixture('no-blank-line.eml');
    const header = parseHeader(raw, 0, raw.length);
    expect(header.bodyStart).toBe(raw.length);
    expect(header.fields.map((f) => f.name)).toEqual(['from', 'subject', 'x-trailing']);
  });

  it('unfolds continuation lines and allows whitespace before the colon', () => {
    const raw = Buffer.from('Subject : a\r\n\tb\n c\r\n\r\nbody');
    const header = parseHeader(raw, 0, raw.length);
    expect(header.fields).toHaveLength(1);
    expect(fieldValue(raw, header.fields[0]!)).toBe('a\tb c');
    expect(header.bodyStart).toBe(raw.length - 4);
  });

  it('handles an empty header (message starting with a blank line)', () => {
    const raw = Buffer.from('\r\nbody');
    expect(parseHeader(raw, 0, raw.length)).toEqual({ fields: [], start: 0, bodyStart: 2 });
  });
});
