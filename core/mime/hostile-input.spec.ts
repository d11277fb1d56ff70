import { describe, expect, it } from 'vitest';
import { MAX_ADDRESS_LIST_LENGTH, parseAddressList } from './address.parser.js';
import { analyzeMessage } from './analyze-message.js';
import { decodeWords, MAX_DECODED_HEADER } from './decoded-text.js';
import { MAX_PARAMETER_SEGMENTS, parseParameterizedValue } from './header-params.parser.js';
import { parseHeader } from './header.parser.js';
import type { MimePart } from './message-analysis.types.js';
import { MAX_BOUNDARY_LENGTH, MAX_MIME_DEPTH, parseMimeTree } from './mime-tree.parser.js';

/**
 * Input a sender controls, sized so that a quadratic (or unbounded) parse would run for many seconds to minutes
 * and block the event loop meanwhile; each case must return well inside the test timeout. Audit of core/mime:
 * the header splitter searched past the line for a colon (quadratic in colon-less lines); obs-route scanning
 * in address lists restarted at every "<@" (quadratic); RFC 2231 continuations were de-duplicated by a linear
 * search (quadratic); a boundary of any length was searched for (slow on input that nearly matches it); every
 * nesting level rescans its range (depth × size, now under a scan budget); encoded-words were decoded over
 * fields of any length. Linear already and kept so: tokenising quotes and comments (any depth), part count
 * (MAX_MIME_PARTS), nesting (MAX_MIME_DEPTH), HTML to text, transfer decoding, References and Date patterns.
 */
describe('MIME parsing of hostile input returns promptly', () => {
  it('splits a header of half a million colon-less lines', () => {
    const raw = Buffer.from(`${'a\n'.repeat(500_000)}\nbody`);
    const header = parseHeader(raw, 0, raw.length);
    expect(header.fields).toEqual([]);
    expect(header.bodyStart).toBe(raw.length - 4);
  });

  it('parses a multipart whose 4 MB part has no blank line and no colon (all header)', async () => {
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n${`${'x'.repeat(76)}\r\n`.repeat(50_000)}--b--\r\n`);
    const analysis = await analyzeMessage(raw);
    expect(analysis.root.parts).toHaveLength(1);
  });

  it('parses an address list of many "<@," (obs-route openings without a colon)', () => {
    const list = parseAddressList('<@,'.repeat(200_000));
    expect(list.length).toBeLessThanOrEqual(MAX_ADDRESS_LIST_LENGTH);
  });

  it('parses an address list longer than MAX_ADDRESS_LIST_LENGTH up to that length', () => {
    const list = parseAddressList('a@b.example, '.repeat(100_000));
    expect(list).toHaveLength(Math.ceil(MAX_ADDRESS_LIST_LENGTH / 'a@b.example, '.length));
    expect(list[0]).toEqual({ name: null, adl: null, mailbox: 'a', host: 'b.example' });
  });

  it('reads at most MAX_PARAMETER_SEGMENTS segments of hundreds of thousands of RFC 2231 continuations', () => {
    const value = `attachment${Array.from({ length: 100_000 }, (_, i) => `; filename*${i}=a`).join('')}`;
    const parsed = parseParameterizedValue(value);
    expect(parsed.params['filename']).toBe('a'.repeat(MAX_PARAMETER_SEGMENTS - 1));
  });

  it('takes a multipart with a boundary longer than MAX_BOUNDARY_LENGTH as text/plain, without searching for it', () => {
    const boundary = 'a'.repeat(20_000);
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${`--${'a'.repeat(19_999)}\r\n`.repeat(200)}`);
    expect(parseMimeTree(raw)).toMatchObject({ type: 'text', subtype: 'plain' });
    const fits = 'b'.repeat(MAX_BOUNDARY_LENGTH);
    const ok = Buffer.from(`Content-Type: multipart/mixed; boundary=${fits}\r\n\r\n--${fits}\r\n\r\nx\r\n--${fits}--\r\n`);
    expect(parseMimeTree(ok).parts).toHaveLength(1);
  });

  it('stops splitting nested multiparts around a large body once the scan budget is spent', () => {
    let head = '';
    let tail = '';
    for (let i = 0; i < MAX_MIME_DEPTH; i++) {
      head += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
      tail = `\r\n--b${i}--${tail}`;
    }
    const raw = Buffer.from(`${head}\r\n${`${'y'.repeat(76)}\r\n`.repeat(100_000)}${tail}`);
    let depth = 0;
    for (let part: MimePart | undefined = parseMimeTree(raw); part?.parts; part = part.parts[0]) depth++;
    // Budget: 8 passes over 8 MB plus 16 MiB; each level scans its range twice (delimiters and lines).
    expect(depth).toBeGreaterThan(4);
    expect(depth).toBeLessThan(MAX_MIME_DEPTH);
  });

  it('decodes the encoded-words of a multi-megabyte Subject only up to MAX_DECODED_HEADER', async () => {
    const subject = '=?utf-8?Q?a?= '.repeat(100_000);
    expect(decodeWords(subject).length).toBeLessThanOrEqual(MAX_DECODED_HEADER);
    const analysis = await analyzeMessage(Buffer.from(`Subject: ${subject}\r\n\r\nbody\r\n`));
    expect(analysis.subject.startsWith('aaaa')).toBe(true);
  });
});
