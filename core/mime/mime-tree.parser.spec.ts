import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MimePart } from './message-analysis.types.js';
import { countLines, parseMimeTree } from './mime-tree.parser.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/eml/${name}`, import.meta.url));

/** The fields of a part that describe a leaf, without the children. */
const shape = (p: MimePart) => ({ type: p.type, subtype: p.subtype, params: p.params, encoding: p.encoding });

describe('parseMimeTree', () => {
  it('splits an LF-only multipart at exact byte offsets', () => {
    // Offsets counted by hand from the fixture: 21 + 17 + 43 header bytes + 1 blank line = 82, etc.
    const raw = fixture('lf-only.eml');
    expect(raw.length).toBe(227);
    const root = parseMimeTree(raw);
    expect(root).toMatchObject({
      headerStart: 0,
      bodyStart: 82,
      bodyEnd: 227,
      type: 'multipart',
      subtype: 'mixed',
      params: { boundary: 'lf' },
    });
    expect(root.parts).toHaveLength(2);
    const [text, blob] = root.parts!;
    // RFC 2046 §5.1.1: the line break before "--lf" belongs to the delimiter, so part 1 ends at 120.
    expect(text).toMatchObject({ headerStart: 87, bodyStart: 113, bodyEnd: 120, bodyLines: 1, type: 'text', subtype: 'plain', params: {} });
    expect(raw.toString('latin1', text!.bodyStart, text!.bodyEnd)).toBe('one\ntwo');
    expect(blob).toMatchObject({ headerStart: 126, bodyStart: 215, bodyEnd: 219, bodyLines: 0, encoding: 'base64', filename: 'blob.bin' });
    expect(shape(blob!)).toEqual({ type: 'application', subtype: 'octet-stream', params: { name: 'blob.bin' }, encoding: 'base64' });
  });

  it('parses nested multiparts and message/rfc822 with absolute offsets', () => {
    const raw = fixture('nested-rfc822.eml');
    const s = (text: string, from = 0): number => raw.indexOf(text, from);
    const root = parseMimeTree(raw);
    expect(root.type).toBe('multipart');
    expect(root.parts).toHaveLength(2);
    expect(root.bodyStart).toBe(s('This is a multi-part'));
    expect(root.bodyEnd).toBe(raw.length);

    const alternative = root.parts![0]!;
    expect(alternative.headerStart).toBe(s('--outer\r\n') + 9);
    expect(alternative.bodyStart).toBe(s('--inner\r\n'));
    // Ends after the line break of the inner close delimiter line, which is also the one before "--outer": the
    // close delimiter line takes it, as a line-by-line parser (Dovecot) does.
    expect(alternative.bodyEnd).toBe(s('--inner--') + 11);
    expect(alternative).toMatchObject({ subtype: 'alternative', params: { boundary: 'inner' } });
    const [plain, html] = alternative.parts!;
    expect(shape(plain!)).toEqual({ type: 'text', subtype: 'plain', params: { charset: 'utf-8' }, encoding: 'quoted-printable' });
    expect(raw.toString('latin1', plain!.bodyStart, plain!.bodyEnd)).toBe('See the forwarded report below. Caf=C3=A9 meeting at 10.');
    expect(plain!.bodyLines).toBe(0);
    expect(html!.headerStart).toBe(s('Content-Type: text/html'));
    expect(raw.toString('latin1', html!.bodyStart, html!.bodyEnd)).toBe('<p>See the forwarded report below. Caf=C3=A9 meeting at 10.</p>');

    const forwarded = root.parts![1]!;
    expect(forwarded).toMatchObject({ type: 'message', subtype: 'rfc822', description: 'forwarded message', encoding: '7bit', params: {} });
    expect(forwarded.bodyStart).toBe(s('Date: Mon, 30 Jun'));
    expect(forwarded.bodyEnd).toBe(s('--fwd--') + 9);
    // 7 header lines, the blank line and 11 body lines, the last one "--fwd--" ending in CRLF.
    expect(forwarded.bodyLines).toBe(19);

    const inner = forwarded.message!.root;
    expect(inner).toMatchObject({
      headerStart: forwarded.bodyStart,
      bodyStart: s('--fwd\r\n'),
      bodyEnd: forwarded.bodyEnd,
      subtype: 'mixed',
    });
    expect(forwarded.message!.envelope.subject).toBe('quarterly report');
    const [numbers, csv] = inner.parts!;
    expect(shape(numbers!)).toEqual({ type: 'text', subtype: 'plain', params: { charset: 'us-ascii' }, encoding: '7bit' });
    expect(raw.toString('latin1', csv!.bodyStart, csv!.bodyEnd)).toBe('quarter,revenue\r\nQ3,42');
    expect(csv).toMatchObject({ bodyLines: 1, disposition: { type: 'attachment', params: { filename: 'q3.csv' } }, filename: 'q3.csv' });
  });

  it('passes RFC 2231 parameters on as sent and decodes only the file name', () => {
    const root = parseMimeTree(fixture('rfc2231.eml'));
    expect(root.params).toEqual({ boundary: '==b2231' });
    const [, pdf, text] = root.parts!;
    // Continuations joined, still encoded, after the other parameters (as Dovecot sends them).
    const joined = "UTF-8''%E6%8A%A5%E5%91%8A 2024.pdf";
    expect(pdf!.params).toEqual({ 'name*': joined });
    expect(Object.entries(pdf!.disposition!.params)).toEqual([
      ['size', '3'],
      ['filename*', joined],
    ]);
    expect(pdf!.filename).toBe('报告 2024.pdf');
    // RFC 2231 §5 example value as sent; `charset*` is not `charset`, so the default is added after it.
    expect(Object.entries(text!.params)).toEqual([
      ['charset*', "us-ascii'en'us-ascii"],
      ['title*', "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"],
      ['charset', 'us-ascii'],
    ]);
    expect(text!.disposition).toEqual({ type: 'inline', params: { filename: 'longname.txt' } });
    expect(text!.language).toEqual(['en', 'de']);
  });

  it('defaults a missing Content-Type to text/plain; charset=us-ascii', () => {
    const root = parseMimeTree(Buffer.from('Subject: x\r\n\r\nhello\r\n'));
    expect(root).toEqual({
      headerStart: 0,
      bodyStart: 14,
      bodyEnd: 21,
      bodyLines: 1,
      type: 'text',
      subtype: 'plain',
      params: { charset: 'us-ascii' },
      id: null,
      description: null,
      encoding: '7bit',
      md5: null,
      disposition: null,
      language: null,
      location: null,
    });
  });

  it('lowercases type, subtype and parameter names but keeps values', () => {
    const root = parseMimeTree(
      Buffer.from('Content-Type: TEXT/Plain; CharSet="UTF-8"; Format=Flowed\r\nContent-Transfer-Encoding: QUOTED-Printable\r\n\r\nx'),
    );
    expect(shape(root)).toEqual({
      type: 'text',
      subtype: 'plain',
      params: { charset: 'UTF-8', format: 'Flowed' },
      encoding: 'quoted-printable',
    });
  });

  it('uses message/rfc822 as the default part type inside multipart/digest', () => {
    const raw = Buffer.from('Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nfirst\r\n--d--\r\n');
    const [part] = parseMimeTree(raw).parts!;
    expect(part).toMatchObject({ type: 'message', subtype: 'rfc822', params: {} });
    expect(part!.message!.envelope.subject).toBe('one');
    expect(part!.message!.root).toMatchObject({ type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } });
  });

  it('gives a multipart without boundary, or without any delimiter, one empty text/plain part', () => {
    const noBoundary = Buffer.from('Content-Type: multipart/mixed\r\n\r\nbody');
    const root = parseMimeTree(noBoundary);
    expect(root).toMatchObject({ type: 'multipart', subtype: 'mixed', params: {} });
    expect(root.parts).toEqual([
      {
        headerStart: noBoundary.length,
        bodyStart: noBoundary.length,
        bodyEnd: noBoundary.length,
        bodyLines: 0,
        type: 'text',
        subtype: 'plain',
        params: { charset: 'us-ascii' },
        id: null,
        description: null,
        encoding: '7bit',
        md5: null,
        disposition: null,
        language: null,
        location: null,
      },
    ]);
    const onlyClose = parseMimeTree(Buffer.from('Content-Type: multipart/mixed; boundary="none"\r\n\r\nOnly a preamble.\r\n--none--\r\n'));
    expect(onlyClose.parts!.map((p) => p.bodyEnd - p.bodyStart)).toEqual([0]);
    const noDelimiter = parseMimeTree(Buffer.from('Content-Type: multipart/mixed; boundary=zz\r\n\r\n--z\r\nbody'));
    expect(noDelimiter.parts!.map((p) => [p.type, p.bodyEnd - p.bodyStart])).toEqual([['text', 0]]);
  });

  it('opens the first part after a preamble line that starts with the delimiter (RFC 2046 §5.1.1)', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary="pre"\r\n\r\nThe preamble mentions --pre inline\r\n--pre-not-a-boundary\r\n--pre\r\nContent-Type: text/plain\r\n\r\npart one\r\n--pre--\r\n',
    );
    const parts = parseMimeTree(raw).parts!;
    expect(parts.map((p) => raw.toString('latin1', p.headerStart, p.bodyEnd))).toEqual(['', 'Content-Type: text/plain\r\n\r\npart one']);
  });

  it('counts the line break after a nested close delimiter in the enclosing part, as Dovecot does', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=fw\r\n\r\n--fw\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\nContent-Type: multipart/alternative; boundary=in\r\n\r\n--in\r\n\r\nx\r\n--in--\r\n--fw--\r\n',
    );
    const [message] = parseMimeTree(raw).parts!;
    expect(raw.toString('latin1', message!.bodyEnd - 8, message!.bodyEnd)).toBe('--in--\r\n');
    expect(message!.message!.root.bodyEnd).toBe(message!.bodyEnd);
    expect(message!.bodyLines).toBe(7);
  });

  it('ends the last part at the end of the entity when the close delimiter is missing', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nfirst\r\n--b\r\n\r\nsecond\r\n');
    const parts = parseMimeTree(raw).parts!;
    expect(parts.map((p) => raw.toString('latin1', p.bodyStart, p.bodyEnd))).toEqual(['first', 'second\r\n']);
  });

  it('does not take a longer boundary sharing the prefix for a delimiter', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--bb\r\nstill one\r\n--b  \r\n\r\ntwo\r\n--b--  \r\n',
    );
    const parts = parseMimeTree(raw).parts!;
    expect(parts.map((p) => raw.toString('latin1', p.bodyStart, p.bodyEnd))).toEqual(['one\r\n--bb\r\nstill one', 'two']);
  });

  it('describes a base64-encoded message/rfc822 (not allowed by RFC 2046 §5.2.1) as a message with an empty body', () => {
    const part = parseMimeTree(
      Buffer.from('Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA0KDQp5'),
    );
    expect(part.message!.envelope.subject).toBeNull();
    expect(part.message!.root.bodyEnd - part.message!.root.bodyStart).toBe(0);
  });

  it('survives deep nesting without recursing past the limit', () => {
    let raw = '';
    for (let i = 0; i < 200; i++) raw += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    const root = parseMimeTree(Buffer.from(`${raw}\r\nleaf`));
    let depth = 0;
    for (let p: MimePart | undefined = root; p?.parts; p = p.parts[0]) depth++;
    expect(depth).toBe(64);
  });
});

describe('countLines', () => {
  it('counts line breaks; a final line without one is not counted (as Dovecot counts body-fld-lines)', () => {
    const b = Buffer.from('a\r\nb\nc');
    expect(countLines(b, 0, b.length)).toBe(2);
    expect(countLines(b, 0, 3)).toBe(1);
    expect(countLines(b, 0, 0)).toBe(0);
  });
});
