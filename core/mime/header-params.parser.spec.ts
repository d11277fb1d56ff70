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
    expect(parseParameterizedValue('text/plain (plain text); charset=us-ascii (ascii); x="a;b"').params).toEqual({ charset: 'us-ascii', x: 'a;b' });
  });

  it('joins RFC 2231 continuations in index order and decodes the charset', () => {
    const v = parseParameterizedValue("attachment; filename*1*=%E8%AF%95.txt; filename*0*=utf-8'zh'%E6%B5%8B");
    expect(v.decoded['filename']).toBe('测试.txt');
    expect(v.params['filename']).toBe(`=?utf-8?B?${Buffer.from('测试.txt').toString('base64')}?=`);
  });

  it('prefers the extended parameter over the plain one (RFC 2231 §4)', () => {
    expect(parseParameterizedValue("attachment; filename=fallback.txt; filename*=iso-8859-1''caf%E9.txt").decoded).toEqual({ filename: 'café.txt' });
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
