import { describe, expect, it } from 'vitest';
import { mariadbWithReturning } from './raw-sql.js';

describe('mariadbWithReturning', () => {
  it('is true from MariaDB 10.5 on, whatever follows the version number', () => {
    expect(mariadbWithReturning('10.11.19-MariaDB-0+deb12u1')).toBe(true);
    expect(mariadbWithReturning('10.5.0-MariaDB')).toBe(true);
    expect(mariadbWithReturning('11.4.2-MariaDB-ubu2404-log')).toBe(true);
    expect(mariadbWithReturning('5.5.5-10.11.6-MariaDB')).toBe(true);
  });

  it('is false before MariaDB 10.5 and on MySQL, which has no INSERT ... RETURNING', () => {
    expect(mariadbWithReturning('10.4.32-MariaDB-1:10.4.32+maria~ubu2004')).toBe(false);
    expect(mariadbWithReturning('8.4.3')).toBe(false);
    expect(mariadbWithReturning('8.0.36-0ubuntu0.22.04.1')).toBe(false);
    expect(mariadbWithReturning('')).toBe(false);
  });
});
