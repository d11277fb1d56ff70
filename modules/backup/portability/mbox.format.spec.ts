import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maildirFlags, maildirName } from './maildir.format.js';
import { flagHeaders, quoteFromLines, readMbox, separatorLine } from './mbox.format.js';

async function roundTrip(messages: { raw: Buffer; flags: string[] }[], chunkSize: number) {
  const parts: Buffer[] = [];
  for (const message of messages) {
    parts.push(Buffer.from(separatorLine('a@b.example', new Date(Date.UTC(2026, 11, 7, 9, 5, 3)))));
    parts.push(
      Buffer.from(flagHeaders(message.flags, message.raw.includes('\r\n') ? '\r\n' : '\n')),
      quoteFromLines(message.raw),
      Buffer.from('\n'),
    );
  }
  const whole = Buffer.concat(parts);
  const chunks = Array.from({ length: Math.ceil(whole.length / chunkSize) }, (_, index) =>
    whole.subarray(index * chunkSize, (index + 1) * chunkSize),
  );
  const read = [];
  for await (const message of readMbox(Readable.from(chunks))) read.push(message);
  return read;
}

describe('mboxrd', () => {
  const messages = [
    {
      raw: Buffer.from('Subject: one\r\n\r\nFrom the start\r\n>From quoted\r\n>>From twice\r\nFromage\r\n'),
      flags: ['\\Seen', '\\Flagged', '$Work'],
    },
    // GBK bytes, no final line ending, LF only.
    { raw: Buffer.concat([Buffer.from('Subject: two\n\n'), Buffer.from('c4e3bac3', 'hex')]), flags: [] },
    { raw: Buffer.from('Subject: three\r\n\r\n\r\n'), flags: ['\\Answered', '\\Draft', '\\Deleted'] },
  ];

  it.each([1, 7, 4096])('reads back every message byte for byte with its flags (chunks of %i bytes)', async (chunkSize) => {
    const read = await roundTrip(messages, chunkSize);
    expect(read.map((message) => message.raw.toString('hex'))).toEqual(messages.map((message) => message.raw.toString('hex')));
    expect(read.map((message) => [...message.flags].sort())).toEqual(messages.map((message) => [...message.flags].sort()));
    expect(read[0]!.date?.toISOString()).toBe('2026-12-07T09:05:03.000Z');
  });

  it('quotes From lines at any depth of >', () => {
    expect(quoteFromLines(Buffer.from('From a\n>From b\nx From c\n')).toString()).toBe('>From a\n>>From b\nx From c\n');
  });

  it('writes the separator with an asctime date', () => {
    expect(separatorLine('', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('From MAILER-DAEMON Fri Jan  2 03:04:05 2026\n');
  });
});

describe('Maildir names', () => {
  it('carries system flags and keywords in the info suffix', () => {
    const name = maildirName(7, Date.UTC(2026, 0, 1), 120, ['\\Seen', '\\Answered', '$Later', '\\Draft'], ['$Later', '$Work']);
    expect(name).toMatch(/^1767225600\.M7P\d+\.mailhive,S=120:2,DRSa$/);
    expect(maildirFlags(name, ['$Later', '$Work']).sort()).toEqual(['$Later', '\\Answered', '\\Draft', '\\Seen']);
  });
});
