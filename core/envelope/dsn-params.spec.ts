import { describe, expect, it } from 'vitest';
import { dsnTransactions } from '../outbound/dsn-relay.js';
import { parseMailDsn, parseRcptDsn, wantsNotice } from './dsn-params.js';

// smtp-server hands the values over xtext-decoded, so these are the decoded wire values.
describe('parseMailDsn', () => {
  it('reads RET and ENVID', () => {
    expect(parseMailDsn({ RET: 'hdrs', ENVID: 'QQ314159' })).toEqual({ ok: true, value: { ret: 'HDRS', envid: 'QQ314159' } });
    expect(parseMailDsn(false)).toEqual({ ok: true, value: { ret: null, envid: null } });
  });

  it('refuses a bad RET, an ENVID longer than 100 characters or with spaces', () => {
    expect(parseMailDsn({ RET: 'BODY' }).ok).toBe(false);
    expect(parseMailDsn({ ENVID: 'x'.repeat(101) }).ok).toBe(false);
    expect(parseMailDsn({ ENVID: 'a b' }).ok).toBe(false);
    expect(parseMailDsn({ ENVID: true }).ok).toBe(false);
  });
});

describe('parseRcptDsn', () => {
  it('reads NOTIFY lists, NEVER as an empty list, and ORCPT with its type in lower case', () => {
    expect(parseRcptDsn({ NOTIFY: 'success,Delay', ORCPT: 'RFC822;Bob+1@example.org' })).toEqual({
      ok: true,
      value: { notify: ['SUCCESS', 'DELAY'], orcpt: 'rfc822;Bob+1@example.org' },
    });
    expect(parseRcptDsn({ NOTIFY: 'NEVER' })).toEqual({ ok: true, value: { notify: [], orcpt: null } });
    expect(parseRcptDsn({})).toEqual({ ok: true, value: { notify: null, orcpt: null } });
  });

  it('decodes the \\x{HEX} form of a utf-8 ORCPT (RFC 6533)', () => {
    expect(parseRcptDsn({ ORCPT: 'utf-8;j\\x{F6}rg@example.org' })).toEqual({
      ok: true,
      value: { notify: null, orcpt: 'utf-8;jörg@example.org' },
    });
  });

  it('refuses NEVER with others, unknown or repeated values, and an ORCPT without type or address', () => {
    for (const NOTIFY of ['NEVER,SUCCESS', 'SOMETIMES', 'DELAY,DELAY', '']) expect(parseRcptDsn({ NOTIFY }).ok).toBe(false);
    for (const ORCPT of ['bob@example.org', ';bob@example.org', 'rfc822;', 'rfc822;bob smith@example.org', `rfc822;${'x'.repeat(500)}`]) {
      expect(parseRcptDsn({ ORCPT }).ok).toBe(false);
    }
  });
});

describe('wantsNotice', () => {
  it('reports failures only when NOTIFY is absent, nothing for NEVER, and what was listed otherwise', () => {
    expect(wantsNotice(undefined, 'FAILURE')).toBe(true);
    expect(wantsNotice(undefined, 'SUCCESS')).toBe(false);
    expect(wantsNotice({ notify: [], orcpt: null }, 'FAILURE')).toBe(false);
    expect(wantsNotice({ notify: ['SUCCESS'], orcpt: null }, 'SUCCESS')).toBe(true);
    expect(wantsNotice({ notify: ['SUCCESS'], orcpt: null }, 'FAILURE')).toBe(false);
  });
});

describe('dsnTransactions', () => {
  it('keeps every recipient in one transaction unless NOTIFY or ORCPT differ', () => {
    expect(dsnTransactions(['a@x', 'b@x'], null)).toEqual([{ recipients: ['a@x', 'b@x'] }]);
    const split = dsnTransactions(['a@x', 'B@x', 'c@x'], {
      ret: 'HDRS',
      envid: 'E1',
      recipients: {
        'a@x': { notify: ['SUCCESS'], orcpt: null },
        'b@x': { notify: ['SUCCESS'], orcpt: null },
        'c@x': { notify: [], orcpt: 'rfc822;c@y' },
      },
    });
    expect(split).toEqual([
      { recipients: ['a@x', 'B@x'], dsn: { ret: 'HDRS', envid: 'E1', notify: ['SUCCESS'] } },
      { recipients: ['c@x'], dsn: { ret: 'HDRS', envid: 'E1', notify: 'NEVER', orcpt: 'rfc822;c@y' } },
    ]);
  });

  it('sends a utf-8 ORCPT in its \\x{HEX} form', () => {
    const [transaction] = dsnTransactions(['j@x'], {
      ret: null,
      envid: null,
      recipients: { 'j@x': { notify: null, orcpt: 'utf-8;jörg@x' } },
    });
    expect(transaction!.dsn).toEqual({ orcpt: 'utf-8;j\\x{F6}rg@x' });
  });
});
