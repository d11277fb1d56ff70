import { describe, expect, it } from 'vitest';
import { missingOriginFields } from './origin-fields.js';

describe('missingOriginFields', () => {
  const now = new Date(Date.UTC(2026, 11, 6, 9, 30, 0));

  it('adds a Date and a Message-ID in our name to a message without them', () => {
    const lines = missingOriginFields(Buffer.from('From: a@x.example\r\nSubject: hi\r\n\r\nbody\r\n'), true, 'mail.example.org', now);
    expect(lines).toMatch(/^Date: Sun, 06 Dec 2026 09:30:00 \+0000\r\nMessage-ID: <[0-9a-f]{32}@mail\.example\.org>\r\n$/);
  });

  it('adds nothing when both are there, whatever their case', () => {
    expect(missingOriginFields(Buffer.from('DATE: Sun, 06 Dec 2026 09:30:00 +0000\r\nmessage-id: <1@x>\r\n\r\nbody'), true, 'h', now)).toBe(
      '',
    );
  });

  it('adds only the one that is missing', () => {
    expect(missingOriginFields(Buffer.from('Message-ID: <1@x>\r\n\r\n'), true, 'h', now)).toBe('Date: Sun, 06 Dec 2026 09:30:00 +0000\r\n');
  });

  it('does not look at the body', () => {
    expect(missingOriginFields(Buffer.from('Date: x\r\n\r\nMessage-ID: <in the body>\r\n'), true, 'h', now)).toMatch(/^Message-ID: /);
  });

  it('adds nothing when the header does not end within the bytes kept in memory', () => {
    expect(missingOriginFields(Buffer.from(`From: a@x.example\r\nX-Long: ${'a'.repeat(100)}`), false, 'h', now)).toBe('');
  });
});
