import { describe, expect, it } from 'vitest';
import { activeOn, parseSettings, replySubject, skipReason, type VacationSettings } from './vacation-rules.js';

const on: VacationSettings = {
  enabled: true,
  start: '2026-12-20',
  end: '2026-12-31',
  subject: '',
  body: 'Away',
  addresses: ['k@alias.example'],
};
const now = new Date('2026-12-24T10:00:00Z');
const message = (headers: Record<string, string>, sender = 'ann@example.net') => ({
  sender,
  recipient: 'kim@example.org',
  headers: { to: 'Kim <kim@example.org>', ...headers },
});

describe('vacation rules', () => {
  it('answers a personal message inside the dates', () => {
    expect(skipReason(message({}), on, now)).toBeNull();
    expect(skipReason(message({ to: 'team@x.example', cc: 'K <k@alias.example>' }), on, now)).toBeNull();
    expect(skipReason(message({ 'auto-submitted': 'no' }), on, now)).toBeNull();
  });

  it('keeps to its dates, both days included', () => {
    expect(activeOn(on, new Date('2026-12-20T00:00:00Z'))).toBe(true);
    expect(activeOn(on, new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(skipReason(message({}), on, new Date('2027-01-01T00:00:00Z'))).toBe('inactive');
    expect(skipReason(message({}), { ...on, enabled: false }, now)).toBe('inactive');
  });

  it('never answers automatic, bulk, list or system mail (RFC 3834, RFC 5230 §4.5)', () => {
    expect(skipReason(message({}, ''), on, now)).toBe('null-sender');
    expect(skipReason(message({ 'auto-submitted': 'auto-replied' }), on, now)).toBe('auto-submitted');
    expect(skipReason(message({ 'auto-submitted': 'auto-generated; owner-email="x@y"' }), on, now)).toBe('auto-submitted');
    expect(skipReason(message({ precedence: 'bulk' }), on, now)).toBe('bulk');
    expect(skipReason(message({ 'list-id': '<dev.lists.example>' }), on, now)).toBe('list');
    expect(skipReason(message({ 'x-auto-response-suppress': 'OOF, AutoReply' }), on, now)).toBe('suppressed');
    expect(skipReason(message({}, 'MAILER-DAEMON@example.net'), on, now)).toBe('system-sender');
    expect(skipReason(message({}, 'dev-request@lists.example'), on, now)).toBe('system-sender');
    expect(skipReason(message({}, 'kim@example.org'), on, now)).toBe('self');
    expect(skipReason(message({ to: 'everyone@example.org' }), on, now)).toBe('not-addressed');
  });

  it('checks settings and builds the subject', () => {
    expect(parseSettings({ enabled: true, body: '' })).toBe('body: required when enabled');
    expect(parseSettings({ start: '24.12.2026' })).toBe('start: a date like 2026-12-24');
    expect(parseSettings({ start: '2026-12-24', end: '2026-12-01' })).toBe('end: before start');
    expect(parseSettings({ enabled: true, body: 'Away', addresses: ['K@Alias.example'] })).toMatchObject({
      enabled: true,
      addresses: ['k@alias.example'],
    });
    expect(replySubject(on, 'Lunch?')).toBe('Auto: Lunch?');
    expect(replySubject({ ...on, subject: 'Out of office' }, 'Lunch?')).toBe('Out of office');
  });
});
