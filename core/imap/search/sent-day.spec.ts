import { describe, expect, it } from 'vitest';
import { sentDay } from './sent-day.js';

describe('the day a Date header names', () => {
  it.each([
    ['Mon, 01 Jan 2024 23:30:00 -0500', Date.UTC(2024, 0, 1)],
    ['Tue, 2 Jan 2024 01:00:00 +1300', Date.UTC(2024, 0, 2)],
    ['2 Jan 2024 01:00 +1300', Date.UTC(2024, 0, 2)],
    ['  Sat,5 Feb 99 10:00:00 GMT', Date.UTC(1999, 1, 5)],
    ['Fri, 31 Dec 49 10:00:00 +0000', Date.UTC(2049, 11, 31)],
    ['Fri, 31 Dec 103 10:00:00 +0000', Date.UTC(2003, 11, 31)],
    ['Thu, 03 July 2003 12:00:00 +0000', Date.UTC(2003, 6, 3)],
  ])('%j', (header, day) => {
    expect(sentDay(header)).toBe(day);
  });

  it('reads nothing from a missing or unreadable header', () => {
    for (const header of [null, '', 'yesterday', '32 Jan 2024 10:00:00 +0000', '1 Foo 2024 10:00 +0000'])
      expect(sentDay(header)).toBeNull();
  });
});
