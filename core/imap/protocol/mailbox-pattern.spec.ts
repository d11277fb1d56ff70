import { describe, expect, it } from 'vitest';
import { mailboxPatternMatcher } from './mailbox-pattern.js';

/** The definition, written plainly: memoised over (pattern position, name position). */
function reference(pattern: string, name: string): boolean {
  const memo = new Map<number, boolean>();
  const at = (p: number, n: number): boolean => {
    const key = p * (name.length + 1) + n;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === pattern.length) result = n === name.length;
    else if (pattern[p] === '*') result = at(p + 1, n) || (n < name.length && at(p, n + 1));
    else if (pattern[p] === '%') result = at(p + 1, n) || (n < name.length && name[n] !== '/' && at(p, n + 1));
    else result = n < name.length && name[n] === pattern[p] && at(p + 1, n + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

describe('mailboxPatternMatcher', () => {
  it('matches * across levels and % within one level (RFC 3501 §6.3.8)', () => {
    const names = ['INBOX', 'INBOX/Sub', 'Work', 'Work/2024', 'Work/2024/Q1', 'Archive', 'a%b', 'a*b'];
    const list = (pattern: string) => names.filter(mailboxPatternMatcher(pattern));
    expect(list('*')).toEqual(names);
    expect(list('%')).toEqual(['INBOX', 'Work', 'Archive', 'a%b', 'a*b']);
    expect(list('Work/%')).toEqual(['Work/2024']);
    expect(list('Work/*')).toEqual(['Work/2024', 'Work/2024/Q1']);
    expect(list('W%4')).toEqual([]);
    expect(list('W*4')).toEqual(['Work/2024']);
    expect(list('inbox')).toEqual(['INBOX']);
    expect(list('Inbox/%')).toEqual(['INBOX/Sub']);
    expect(list('')).toEqual([]);
    expect(list('%/%/Q1')).toEqual(['Work/2024/Q1']);
    expect(list('a%b')).toEqual(['a%b', 'a*b']);
  });

  it('agrees with the definition on many patterns and names', () => {
    const alphabet = ['a', 'b', '/', '*', '%'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (length: number, letters: string[]) => Array.from({ length }, () => letters[random(letters.length)]).join('');
    for (let i = 0; i < 3000; i++) {
      const pattern = word(random(12), alphabet);
      const name = word(random(40), alphabet.slice(0, 3));
      expect(mailboxPatternMatcher(pattern)(name), `${pattern} ~ ${name}`).toBe(reference(pattern, name));
    }
  });

  it('handles patterns longer than one 32-bit word', () => {
    const name = `${'x/'.repeat(60)}end`;
    expect(mailboxPatternMatcher(`${'%/'.repeat(60)}end`)(name)).toBe(true);
    expect(mailboxPatternMatcher(`${'%/'.repeat(59)}end`)(name)).toBe(false);
    expect(mailboxPatternMatcher(`${'x/'.repeat(60)}*`)(name)).toBe(true);
    expect(mailboxPatternMatcher(name)(name)).toBe(true);
  });

  it('answers hostile patterns in milliseconds', () => {
    const hostile: [string, string][] = [
      ['*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40)],
      ['%*%*%*%*zz', 'a'.repeat(60)],
      [`${'*a'.repeat(400)}b`, 'a'.repeat(500)],
      [`${'%a'.repeat(400)}b`, 'a'.repeat(500)],
      [`${'*%'.repeat(500)}b`, `${'a/'.repeat(250)}`],
    ];
    // A backtracking RegExp takes 33 s on the first of these, and longer on each further one.
    const elapsed = timed(() => {
      for (const [pattern, name] of hostile) {
        const matches = mailboxPatternMatcher(pattern);
        for (let i = 0; i < 10; i++) expect(matches(name), pattern.slice(0, 30)).toBe(false);
      }
    });
    expect(elapsed).toBeLessThan(500);
  });
});
