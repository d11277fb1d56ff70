import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ThrottledWarning } from './throttled-warning.js';

describe('ThrottledWarning', () => {
  it('logs once per interval and counts what it held back', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    let clock = 0;
    const warning = new ThrottledWarning(logger, 'ceiling reached', 60_000, () => clock);
    for (let i = 0; i < 5; i++) warning.warn({ open: i });
    clock = 59_999;
    warning.warn({ open: 5 });
    clock = 60_000;
    warning.warn({ open: 6 });
    expect(lines.map((line) => [line.msg, line.open, line.suppressedSinceLast])).toEqual([
      ['ceiling reached', 0, 0],
      ['ceiling reached', 6, 5],
    ]);
  });
});
