import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { analyzeMessage, parseDate, parseReferences } from './analyze-message.js';
import { SEARCH_TEXT_LIMIT, searchTextBody } from './decoded-text.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/eml/${name}`, import.meta.url));

describe('analyzeMessage', () => {
  it('decodes a GBK subject, a GB2312 name and a GB2312-labelled body with GBK-only characters', async () => {
    const a = await analyzeMessage(fixture('gbk.eml'));
    expect(a.subject).toBe('会议通知');
    expect(a.from).toBe('张三 <zhangsan@example.cn>');
    // 镕 is in GBK but not in GB2312; mislabelled mail like this is common.
    expect(a.preview).toBe('明天上午十点开会，朱镕基也来。');
    expect(a.searchText).toContain('subject: 会议通知');
    expect(a.searchText).toContain('明天上午十点开会，朱镕基也来。');
    expect(a.envelope.subject).toMatch(/^=\?GBK\?B\?/);
    expect(a.root).toMatchObject({ type: 'text', subtype: 'plain', params: { charset: 'gb2312' }, encoding: '8bit', bodyLines: 1 });
    expect(a.messageId).toBe('<gbk-1@example.cn>');
    expect(a.date).toBe(Date.UTC(2003, 6, 2, 0, 0, 0));
    expect(a.hasAttachments).toBe(false);
  });

  it('decodes ISO-2022-JP headers and body', async () => {
    const a = await analyzeMessage(fixture('iso-2022-jp.eml'));
    expect(a.subject).toBe('会議のお知らせ');
    expect(a.from).toBe('山田太郎 <yamada@example.jp>');
    expect(a.preview).toBe('明日の会議は十時からです。');
  });

  it('decodes Big5 and ISO-8859-x bodies and encoded-words', async () => {
    const big5 = Buffer.concat([
      Buffer.from(
        'Subject: =?ISO-8859-2?Q?=A6rodek?=\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\n',
      ),
      Buffer.from(iconv.encode('繁體中文測試', 'big5').toString('base64')),
    ]);
    const a = await analyzeMessage(big5);
    expect(a.subject).toBe('Środek');
    expect(a.preview).toBe('繁體中文測試');
    const latin = await analyzeMessage(Buffer.from('Content-Type: text/plain; charset=iso-8859-15\r\n\r\nPrix: 5 \xa4', 'latin1'));
    expect(latin.preview).toBe('Prix: 5 €');
  });

  it('takes the preview from the plain alternative and searches every alternative, and folds whitespace', async () => {
    const a = await analyzeMessage(fixture('alternative.eml'));
    expect(a.subject).toBe('Café news');
    expect(a.from).toBe('Newsletter <news@example.com>');
    expect(a.preview).toBe('Café opens at nine. Soft break here.');
    // RFC 3501 §6.4.4 BODY: words of the HTML alternative are in the body too (Dovecot finds them).
    expect(a.searchText).toContain('closes late');
    expect(a.root.parts!.map((p) => `${p.type}/${p.subtype}`)).toEqual(['text/plain', 'text/html']);
  });

  it('strips HTML when it is the only text', async () => {
    const raw = Buffer.from(
      'Content-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; all</p><script>x()</script></body></html>',
    );
    const a = await analyzeMessage(raw);
    expect(a.preview).toBe('Hello world & all');
    expect(a.searchText).not.toContain('x()');
  });

  it('reports attachments, includes file names in search text and reads forwarded messages', async () => {
    const mixed = await analyzeMessage(fixture('mixed-attachments.eml'));
    expect(mixed.hasAttachments).toBe(true);
    expect(mixed.searchText).toContain('dot.png');
    expect(mixed.searchText).toContain('data.uu');
    expect(mixed.preview).toBe('Two files attached.');

    const nested = await analyzeMessage(fixture('nested-rfc822.eml'));
    expect(nested.hasAttachments).toBe(true);
    expect(nested.subject).toBe('Fwd: quarterly report');
    expect(nested.from).toBe('Alice Example <alice@example.org>');
    expect(nested.references).toEqual(['<root-0@example.org>', '<prev-0@example.org>']);
    expect(nested.inReplyTo).toBe('<prev-0@example.org>');
    expect(nested.date).toBe(Date.UTC(2003, 6, 1, 8, 52, 37));
    expect(nested.preview).toBe('See the forwarded report below. Café meeting at 10.');
    expect(nested.searchText).toContain('Numbers attached.');
    expect(nested.searchText).toContain('Frank <frank@example.com>');
    // Trace fields are left out of the search text.
    expect(nested.searchText).not.toContain('mx.example.org');

    const rfc2231 = await analyzeMessage(fixture('rfc2231.eml'));
    expect(rfc2231.hasAttachments).toBe(true);
    expect(rfc2231.searchText).toContain('报告 2024.pdf');
  });

  it('searches text attachments, base64 and quoted-printable ones included, and words across soft breaks', async () => {
    const raw = Buffer.from(
      [
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'broken in the middle of softbr=',
        'eakword here',
        '--b',
        'Content-Type: text/csv; name=d.csv',
        'Content-Disposition: attachment; filename=d.csv',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('wyvern,M\u00e1laga').toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const a = await analyzeMessage(raw);
    expect(a.searchText).toContain('softbreakword');
    expect(a.searchText).toContain('wyvern,Málaga');
    expect(a.preview).toBe('broken in the middle of softbreakword here');
  });

  it("keeps file names and attached messages' headers out of the body section, delivery reports in it", async () => {
    const raw = Buffer.from(
      [
        'From: alice@example.com',
        'Subject: report',
        'Content-Type: multipart/report; report-type=delivery-status; boundary=r',
        '',
        '--r',
        'Content-Type: text/plain; name=notes.txt',
        '',
        'Notice.',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        '--r',
        'Content-Type: message/rfc822',
        '',
        'From: carol@example.org',
        'Subject: lost',
        '',
        'Lost text.',
        '--r',
        'Content-Type: text/plain',
        'Content-Transfer-Encoding: x-custom',
        '',
        'undecodable',
        '--r--',
        '',
      ].join('\r\n'),
    );
    const { searchText } = await analyzeMessage(raw);
    const body = searchTextBody(searchText);
    expect(body.split('\n')).toEqual(['Notice.', 'Reporting-MTA: dns; mx.example', 'Lost text.']);
    expect(searchText.slice(0, searchText.length - body.length)).toBe(
      'from: alice@example.com\nsubject: report\nnotes.txt\nlost\ncarol@example.org\n\n',
    );
    expect(searchTextBody((await analyzeMessage(Buffer.from('Subject: only a header\r\n'))).searchText)).toBe('');
  });

  it('does not count a named text part or a plain message as attachment', async () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; name=a.txt\r\n\r\nx\r\n--b--\r\n',
    );
    expect((await analyzeMessage(raw)).hasAttachments).toBe(false);
    const image = Buffer.from(
      'Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/gif; name=a.gif\r\n\r\nx\r\n--b--\r\n',
    );
    expect((await analyzeMessage(image)).hasAttachments).toBe(true);
  });

  it('analyses malformed headers: 8-bit raw values, junk lines, unparseable date', async () => {
    const a = await analyzeMessage(fixture('malformed-headers.eml'));
    expect(a.subject).toBe('Grüße aus Köln');
    expect(a.from).toBe('Mallory <mallory@example.com>');
    expect(a.date).toBeNull();
    expect(a.root).toMatchObject({ type: 'text', subtype: 'plain', params: { charset: 'utf-8' } });
    expect(a.searchText).toContain('x-latin1: café');
    expect(a.preview).toBe('Body text.');
  });

  it('analyses a message without a blank line as header only', async () => {
    const raw = fixture('no-blank-line.eml');
    const a = await analyzeMessage(raw);
    expect(a.subject).toBe('no body');
    expect(a.root).toMatchObject({ headerStart: 0, bodyStart: raw.length, bodyEnd: raw.length, bodyLines: 0 });
    expect(a.preview).toBe('');
  });

  it('decodes raw 8-bit GBK header bytes with the declared body charset', async () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: '),
      iconv.encode('会议通知', 'gbk'),
      Buffer.from('\r\nFrom: '),
      iconv.encode('张三', 'gbk'),
      Buffer.from(' <z@example.cn>\r\nContent-Type: text/plain; charset=GBK\r\n\r\nx'),
    ]);
    const a = await analyzeMessage(raw);
    expect(a.subject).toBe('会议通知');
    expect(a.from).toBe('张三 <z@example.cn>');
    // The envelope keeps the raw bytes; not being UTF-8 they are one character per byte.
    expect(Buffer.from(a.envelope.subject!, 'latin1')).toEqual(iconv.encode('会议通知', 'gbk'));
  });

  it('yields a single text/plain part for binary garbage', async () => {
    const raw = fixture('garbage.eml');
    const a = await analyzeMessage(raw);
    expect(a.root).toMatchObject({ headerStart: 0, bodyEnd: raw.length, type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } });
    expect(a.root.parts).toBeUndefined();
    expect(a.envelope.from).toBeNull();
    expect(a.subject).toBe('');
    expect(() => JSON.stringify(a)).not.toThrow();
    const empty = await analyzeMessage(Buffer.alloc(0));
    expect(empty.root).toMatchObject({ headerStart: 0, bodyStart: 0, bodyEnd: 0, bodyLines: 0, type: 'text' });
  });

  it('bounds the search text', async () => {
    const body = 'lorem ipsum '.repeat(50_000);
    const a = await analyzeMessage(Buffer.from(`Subject: big\r\n\r\n${body}`));
    expect(a.searchText.length).toBeLessThanOrEqual(SEARCH_TEXT_LIMIT);
    expect(a.searchText.length).toBeGreaterThan(SEARCH_TEXT_LIMIT - 100);
    expect(a.preview.length).toBe(200);
  });
});

describe('parseReferences and parseDate', () => {
  it('extracts message ids in order without duplicates', () => {
    expect(parseReferences('<a@x> <b@y>\t<a@x>')).toEqual(['<a@x>', '<b@y>']);
  });

  it('parses RFC 2822 dates with a trailing comment and rejects garbage', () => {
    expect(parseDate('Fri, 21 Nov 1997 09:55:06 -0600 (CST)')).toBe(Date.UTC(1997, 10, 21, 15, 55, 6));
    expect(parseDate('yesterday')).toBeNull();
    expect(parseDate(null)).toBeNull();
  });
});
