import { describe, expect, it } from 'vitest';
import { parseParameterizedValue } from './header-params.parser.js';

describe('parseParameterizedValue', () => {
  it('lowercases the value and parameter names, keeps parameter values, unquotes', () => {
    expect(parseParameterizedValue('Text/HTML; CHARSET="ISO-8859-1" ; Name="a \\"b\\".htm"')).toEqual({
      value: 'text/html',
      params: { charset: 'ISO-8859-1', name: 'a "b".htm' },
      decoded: { charset: 'ISO-8859-1', name: 'a "b".htm' },
    });
  });

  it('ignores comments and a ";" inside quotes', () => {
    expect(parseParameterizedValue('text/plain (plain text); charset=us-ascii (ascii); x="a;b"').params).toEqual({
      charset: 'us-ascii',
      x: 'a;b',
    });
  });

  it('joins RFC 2231 continuations in index order and decodes the charset', () => {
    const v = parseParameterizedValue("attachment; filename*1*=%E8%AF%95.txt; filename*0*=utf-8'zh'%E6%B5%8B");
    expect(v.decoded['filename']).toBe('测试.txt');
    // Passed on as sent (RFC 3501 §7.4.2), joined still encoded under `filename*`, as Dovecot does.
    expect(v.params).toEqual({ 'filename*': "utf-8'zh'%E6%B5%8B%E8%AF%95.txt" });
  });

  it('passes RFC 2231 parameters on as sent, in the order sent, continuations after the others', () => {
    const v = parseParameterizedValue("text/plain; charset*=us-ascii'en'us-ascii; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
    expect(Object.entries(v.params)).toEqual([
      ['charset*', "us-ascii'en'us-ascii"],
      ['title*', "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"],
    ]);
    expect(v.decoded).toEqual({ charset: 'us-ascii', title: 'This is ***fun***' });
    const split = parseParameterizedValue('attachment; filename*0="a-long-"; filename*1="name.bin"; size=4');
    expect(Object.entries(split.params)).toEqual([
      ['size', '4'],
      ['filename', 'a-long-name.bin'],
    ]);
    const mixed = parseParameterizedValue(`attachment; filename*0*=UTF-8''%E6%8A%A5%E5%91%8A; filename*1=" 2024.pdf"; size=4`);
    expect(Object.entries(mixed.params)).toEqual([
      ['size', '4'],
      ['filename*', "UTF-8''%E6%8A%A5%E5%91%8A 2024.pdf"],
    ]);
    expect(mixed.decoded['filename']).toBe('报告 2024.pdf');
  });

  it('keeps the boundary where it was written', () => {
    expect(
      Object.keys(
        parseParameterizedValue('multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="sig"').params,
      ),
    ).toEqual(['micalg', 'protocol', 'boundary']);
  });

  it('prefers the extended parameter over the plain one (RFC 2231 §4)', () => {
    expect(parseParameterizedValue("attachment; filename=fallback.txt; filename*=iso-8859-1''caf%E9.txt").decoded).toEqual({
      filename: 'café.txt',
    });
  });

  it('decodes RFC 2047 encoded-words in quoted parameters only in the decoded map', () => {
    const v = parseParameterizedValue('attachment; filename="=?UTF-8?B?5Lit5paHLnR4dA==?="');
    expect(v.params['filename']).toBe('=?UTF-8?B?5Lit5paHLnR4dA==?=');
    expect(v.decoded['filename']).toBe('中文.txt');
  });

  it('skips parameters without a name or value separator', () => {
    expect(parseParameterizedValue('inline; ; =x; junk; size=10').params).toEqual({ size: '10' });
  });
});
