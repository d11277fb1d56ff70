import { describe, expect, it } from 'vitest';
import { MISSING_HOST, parseAddressList } from './address.parser.js';

const addr = (name: string | null, mailbox: string | null, host: string | null, adl: string | null = null) => ({
  name,
  adl,
  mailbox,
  host,
});
const GROUP_END = addr(null, null, null);

describe('parseAddressList', () => {
  it('parses RFC 2822 §A.1.2 style mailboxes with quoted and plain display names', () => {
    expect(parseAddressList('"Joe Q. Public" <john.q.public@example.com>')).toEqual([
      addr('Joe Q. Public', 'john.q.public', 'example.com'),
    ]);
    expect(parseAddressList('Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>')).toEqual([
      addr('Mary Smith', 'mary', 'x.test'),
      addr(null, 'jdoe', 'example.org'),
      addr('Who?', 'one', 'y.test'),
    ]);
  });

  it('keeps a comma inside a quoted name and uses a trailing comment as name', () => {
    expect(parseAddressList('"Bob, the Builder" <bob@example.net>, carol@example.net (Carol C.)')).toEqual([
      addr('Bob, the Builder', 'bob', 'example.net'),
      addr('Carol C.', 'carol', 'example.net'),
    ]);
  });

  it('marks groups with a NIL-host start and an all-NIL end (RFC 3501 §7.4.2)', () => {
    expect(parseAddressList('A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;')).toEqual([
      addr(null, 'A Group', null),
      addr('Ed Jones', 'c', 'a.test'),
      addr(null, 'joe', 'where.test'),
      addr('John', 'jdoe', 'one.test'),
      GROUP_END,
    ]);
    expect(parseAddressList('Undisclosed recipients:;')).toEqual([addr(null, 'Undisclosed recipients', null), GROUP_END]);
  });

  it('keeps the obsolete source route as adl and encoded-words undecoded', () => {
    expect(parseAddressList('=?utf-8?q?J=C3=B6rg?= <@relay.test,@gw.test:joerg@example.de>')).toEqual([
      addr('=?utf-8?q?J=C3=B6rg?=', 'joerg', 'example.de', '@relay.test,@gw.test'),
    ]);
  });

  it('gives an address without domain a host that is not NIL, and skips empty entries', () => {
    expect(parseAddressList('postmaster, , <>')).toEqual([addr(null, 'postmaster', MISSING_HOST)]);
    expect(parseAddressList('')).toEqual([]);
  });

  it('keeps the quotes of a quoted local part', () => {
    expect(parseAddressList('<"john doe"@example.com>')).toEqual([addr(null, '"john doe"', 'example.com')]);
  });
});
