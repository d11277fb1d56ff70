import { describe, expect, it } from 'vitest';
import type { AccountRole } from './principal.js';
import { accessRefusal, parseExpiryDate, parseProtocols } from './account-access.js';

const account: { enabled: boolean; expiresAt: number; protocols: string[]; role: AccountRole } = {
  enabled: true,
  expiresAt: 0,
  protocols: ['imap', 'webmail'],
  role: 'user',
};

describe('account access', () => {
  it('parses protocol lists into canonical order and refuses unknown words', () => {
    expect(parseProtocols('webmail, IMAP')).toEqual(['imap', 'webmail']);
    expect(parseProtocols('imap,ftp')).toBeNull();
    expect(parseProtocols(' , ')).toBeNull();
  });

  it('parses calendar dates only', () => {
    expect(parseExpiryDate('2027-02-28')).toBe(Date.UTC(2027, 1, 28));
    expect(parseExpiryDate('2027-02-30')).toBeNull();
    expect(parseExpiryDate('2027-2-3')).toBeNull();
  });

  it('refuses disabled, expired, switched-off protocols and non-admins at the admin login', () => {
    expect(accessRefusal(account, 'imap')).toBeNull();
    expect(accessRefusal(account, 'pop3')).toBe('protocol');
    expect(accessRefusal({ ...account, enabled: false }, 'imap')).toBe('disabled');
    expect(accessRefusal({ ...account, expiresAt: 1000 }, 'imap', 1000)).toBe('expired');
    expect(accessRefusal({ ...account, expiresAt: 1000 }, 'imap', 999)).toBeNull();
    expect(accessRefusal(account, 'admin')).toBe('not_admin');
    expect(accessRefusal({ ...account, role: 'domain_admin', protocols: [] }, 'admin')).toBeNull();
    expect(accessRefusal({ ...account, protocols: [] }, 'any')).toBeNull();
  });
});
