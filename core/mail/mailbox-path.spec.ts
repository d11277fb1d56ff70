import { describe, expect, it } from 'vitest';
import { MAX_LEVEL_LENGTH, MAX_PATH_DEPTH, newMailboxPath, normalizeMailboxPath } from './mailbox-path.js';

describe('newMailboxPath', () => {
  it('refuses bidirectional overrides, isolates, marks and C1 controls in new names', () => {
    for (const character of [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200e',
      '\u200f',
      '\u061c',
      '\u0085',
      '\u009b',
      '\u2028',
    ]) {
      expect(() => newMailboxPath(`Invoices${character}fdp.exe`), JSON.stringify(character)).toThrow(/bidirectional/);
    }
    expect(newMailboxPath('Rechnungen/Übersicht/日本語 עברית')).toBe('Rechnungen/Übersicht/日本語 עברית');
  });

  it('bounds the depth and the length of each level', () => {
    expect(newMailboxPath(Array(MAX_PATH_DEPTH).fill('a').join('/'))).toContain('a/a');
    expect(() =>
      newMailboxPath(
        Array(MAX_PATH_DEPTH + 1)
          .fill('a')
          .join('/'),
      ),
    ).toThrow(/levels/);
    expect(() => newMailboxPath(`x/${'b'.repeat(MAX_LEVEL_LENGTH + 1)}`)).toThrow(/characters/);
  });

  it('leaves lookups of names made before as they were', () => {
    expect(normalizeMailboxPath('Old\u202eName')).toBe('Old\u202eName');
  });
});
