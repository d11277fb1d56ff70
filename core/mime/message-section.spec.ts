import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodedPart, resolvePart, sectionBytes, type SectionSpec } from './message-section.js';
import { parseMimeTree } from './mime-tree.parser.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/eml/${name}`, import.meta.url));

describe('sectionBytes on a nested message', () => {
  const raw = fixture('nested-rfc822.eml');
  const root = parseMimeTree(raw);
  const text = (spec: SectionSpec): string | null => sectionBytes(raw, root, spec)?.toString('latin1') ?? null;

  it('returns the whole message, the header and the text', () => {
    expect(sectionBytes(raw, root, { parts: [], specifier: '' })).toEqual(raw);
    const header = text({ parts: [], specifier: 'HEADER' })!;
    expect(header.startsWith('Return-Path: <bounce@example.org>\r\n')).toBe(true);
    expect(header.endsWith('boundary="outer"\r\n\r\n')).toBe(true);
    expect(text({ parts: [], specifier: 'TEXT' })).toBe(raw.toString('latin1', raw.indexOf('This is a multi-part')));
  });

  it('returns BODY[1.2.MIME] and BODY[1.2]', () => {
    expect(text({ parts: [1, 2], specifier: 'MIME' })).toBe(
      'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
    );
    expect(text({ parts: [1, 2], specifier: '' })).toBe('<p>See the forwarded report below. Caf=C3=A9 meeting at 10.</p>');
  });

  it('returns header, text and parts of an encapsulated message/rfc822 (RFC 3501 §6.4.5)', () => {
    expect(text({ parts: [2], specifier: 'MIME' })).toBe('Content-Type: message/rfc822\r\nContent-Description: forwarded message\r\n\r\n');
    expect(text({ parts: [2], specifier: 'HEADER' })).toBe(
      'Date: Mon, 30 Jun 2003 09:00:00 -0700\r\nFrom: Frank <frank@example.com>\r\nTo: alice@example.org\r\n' +
        'Subject: quarterly report\r\nMessage-ID: <inner-1@example.com>\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="fwd"\r\n\r\n',
    );
    expect(text({ parts: [2], specifier: 'TEXT' })).toBe(
      '--fwd\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nNumbers attached.\r\n--fwd\r\n' +
        'Content-Type: text/csv; name="q3.csv"\r\nContent-Disposition: attachment; filename="q3.csv"\r\n\r\n' +
        'quarter,revenue\r\nQ3,42\r\n--fwd--\r\n',
    );
    // BODY[2] is the whole encapsulated message: its header and its text.
    expect(text({ parts: [2], specifier: '' })).toBe(text({ parts: [2], specifier: 'HEADER' })! + text({ parts: [2], specifier: 'TEXT' })!);
    expect(text({ parts: [2, 1], specifier: '' })).toBe('Numbers attached.');
    expect(text({ parts: [2, 2], specifier: 'MIME' })).toBe(
      'Content-Type: text/csv; name="q3.csv"\r\nContent-Disposition: attachment; filename="q3.csv"\r\n\r\n',
    );
    expect(text({ parts: [2], specifier: 'HEADER.FIELDS', fields: ['subject'] })).toBe('Subject: quarterly report\r\n\r\n');
  });

  it('returns HEADER.FIELDS in message order, case-insensitively, folded lines kept, ending with a blank line', () => {
    expect(text({ parts: [], specifier: 'HEADER.FIELDS', fields: ['SUBJECT', 'from', 'X-Absent'] })).toBe(
      'From: Alice Example <alice@example.org>\r\nSubject: Fwd: quarterly\r\n report\r\n\r\n',
    );
    expect(text({ parts: [], specifier: 'HEADER.FIELDS', fields: ['x-absent'] })).toBe('\r\n');
    const not = text({
      parts: [],
      specifier: 'HEADER.FIELDS.NOT',
      fields: ['Received', 'return-path', 'references', 'message-id', 'in-reply-to', 'mime-version', 'content-type', 'to', 'cc'],
    });
    expect(not).toBe(
      'Date: Tue, 1 Jul 2003 10:52:37 +0200\r\nFrom: Alice Example <alice@example.org>\r\n' +
        'Sender: list-bounces@lists.example.org\r\nReply-To: list@lists.example.org\r\nSubject: Fwd: quarterly\r\n report\r\n\r\n',
    );
  });

  it('returns null for sections that do not exist', () => {
    expect(sectionBytes(raw, root, { parts: [3], specifier: '' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [1, 3], specifier: '' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [1], specifier: 'HEADER' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [1, 1, 1], specifier: '' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [], specifier: 'MIME' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [0], specifier: '' })).toBeNull();
  });
});

describe('sectionBytes on a message that is not multipart', () => {
  const raw = Buffer.from('Subject: one\r\nContent-Type: text/plain\r\n\r\nbody\r\n');
  const root = parseMimeTree(raw);

  it('treats the body as part 1 (RFC 3501 §6.4.5)', () => {
    expect(resolvePart(root, [1])).toBe(root);
    expect(sectionBytes(raw, root, { parts: [1], specifier: '' })?.toString()).toBe('body\r\n');
    expect(sectionBytes(raw, root, { parts: [1], specifier: 'MIME' })?.toString()).toBe('Subject: one\r\nContent-Type: text/plain\r\n\r\n');
    expect(sectionBytes(raw, root, { parts: [2], specifier: '' })).toBeNull();
    expect(sectionBytes(raw, root, { parts: [1, 1], specifier: '' })).toBeNull();
  });

  it('writes HEADER.FIELDS of an LF-only message with CRLF line ends', () => {
    const lf = fixture('lf-only.eml');
    expect(sectionBytes(lf, parseMimeTree(lf), { parts: [], specifier: 'HEADER.FIELDS', fields: ['subject'] })?.toString()).toBe(
      'Subject: LF only\r\n\r\n',
    );
  });

  it('returns the header without a blank line when the message has none', () => {
    const nb = fixture('no-blank-line.eml');
    const nbRoot = parseMimeTree(nb);
    expect(sectionBytes(nb, nbRoot, { parts: [], specifier: 'HEADER' })).toEqual(nb);
    expect(sectionBytes(nb, nbRoot, { parts: [], specifier: 'TEXT' })?.length).toBe(0);
  });
});

describe('decodedPart', () => {
  it('removes quoted-printable and base64 and refuses unknown encodings', () => {
    const nested = fixture('nested-rfc822.eml');
    const alternative = parseMimeTree(nested).parts![0]!;
    expect(decodedPart(nested, alternative.parts![0]!)?.toString('utf8')).toBe('See the forwarded report below. Café meeting at 10.');

    const mixed = fixture('mixed-attachments.eml');
    const [, png, uu] = parseMimeTree(mixed).parts!;
    expect(decodedPart(mixed, png!)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(decodedPart(mixed, uu!)).toBeNull();
  });

  it('returns 7bit bodies unchanged', () => {
    const raw = fixture('lf-only.eml');
    const [text, blob] = parseMimeTree(raw).parts!;
    expect(decodedPart(raw, text!)?.toString()).toBe('one\ntwo');
    expect(decodedPart(raw, blob!)).toEqual(Buffer.from([0, 1, 2]));
  });
});
