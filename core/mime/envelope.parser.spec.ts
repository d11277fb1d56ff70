import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope.parser.js';
import { parseHeader } from './header.parser.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/eml/${name}`, import.meta.url));
const envelopeOf = (raw: Buffer) => parseEnvelope(raw, parseHeader(raw, 0, raw.length));
const addr = (name: string | null, mailbox: string | null, host: string | null) => ({ name, adl: null, mailbox, host });

describe('parseEnvelope', () => {
  it('builds the RFC 3501 §7.4.2 envelope from raw, unfolded header values', () => {
    expect(envelopeOf(fixture('nested-rfc822.eml'))).toEqual({
      date: 'Tue, 1 Jul 2003 10:52:37 +0200',
      subject: 'Fwd: quarterly report',
      from: [addr('Alice Example', 'alice', 'example.org')],
      sender: [addr(null, 'list-bounces', 'lists.example.org')],
      replyTo: [addr(null, 'list', 'lists.example.org')],
      to: [addr('Bob, the Builder', 'bob', 'example.net'), addr('Carol C.', 'carol', 'example.net')],
      cc: [addr(null, 'Friends', null), addr(null, 'dave', 'example.com'), addr('Eve', 'eve', 'example.com'), addr(null, null, null)],
      bcc: null,
      inReplyTo: '<prev-0@example.org>',
      messageId: '<outer-1@example.org>',
    });
  });

  it('defaults sender and reply-to to from, also when present but empty', () => {
    const raw = Buffer.from('From: =?GB2312?B?1cXI/Q==?= <zhangsan@example.cn>\r\nReply-To:\r\nSubject: =?GBK?B?u+HS6c2o1qo=?=\r\n\r\n');
    const envelope = envelopeOf(raw);
    const from = [addr('=?GB2312?B?1cXI/Q==?=', 'zhangsan', 'example.cn')];
    expect(envelope.from).toEqual(from);
    expect(envelope.sender).toEqual(from);
    expect(envelope.replyTo).toEqual(from);
    // Encoded-words are sent to IMAP clients as they are.
    expect(envelope.subject).toBe('=?GBK?B?u+HS6c2o1qo=?=');
    expect(envelope.date).toBeNull();
    expect(envelope.to).toBeNull();
  });

  it('reads malformed headers: junk lines skipped, raw 8-bit UTF-8 kept, first of repeated fields', () => {
    expect(envelopeOf(fixture('malformed-headers.eml'))).toEqual({
      date: 'not a date',
      subject: 'Grüße aus Köln',
      from: [addr('Mallory', 'mallory', 'example.com')],
      sender: [addr('Mallory', 'mallory', 'example.com')],
      replyTo: [addr('Mallory', 'mallory', 'example.com')],
      to: [addr(null, 'undisclosed-recipients', null), addr(null, null, null)],
      cc: null,
      bcc: null,
      inReplyTo: null,
      messageId: null,
    });
  });

  it('lists the addresses of every repeated address field and takes the last of any other field', () => {
    const raw = Buffer.from(
      'From: First <first@example.com>\r\nFrom: Second <second@example.com>\r\nSubject: original\r\nSubject: duplicated\r\nReply-To: (before) reply@example.com (Reply Name)\r\n\r\nx',
    );
    const envelope = envelopeOf(raw);
    expect(envelope.subject).toBe('duplicated');
    expect(envelope.from).toEqual([addr('First', 'first', 'example.com'), addr('Second', 'second', 'example.com')]);
    expect(envelope.sender).toEqual(envelope.from);
    // The comment after an addr-spec names it (RFC 822 practice, and Dovecot's answer).
    expect(envelope.replyTo).toEqual([addr('Reply Name', 'reply', 'example.com')]);
  });
});
