import { describe, expect, it } from 'vitest';
import { prettyLogLine } from './pretty-log-stream.js';

describe('prettyLogLine', () => {
  it('shows time, level and message, then the fields as key=value, quoting what is not one word', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 11, 7, 6, 50, 12, 345),
      pid: 7,
      msg: 'message accepted',
      queueId: 'Q1',
      from: 'a@b.example',
      to: ['c@d.example'],
      subject: 'two words',
      size: 1204,
    });
    expect(prettyLogLine(line)).toBe(
      '06:50:12.345 INFO  message accepted queueId=Q1 from=a@b.example to="[\\"c@d.example\\"]" subject="two words" size=1204\n',
    );
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLogLine('plain text')).toBe('plain text\n');
  });

  it('keeps a message with a line break on one line', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'failed', err: { message: 'a\nb' } });
    expect(prettyLogLine(line)).toBe('00:00:00.000 ERROR failed err="{\\"message\\":\\"a\\\\nb\\"}"\n');
  });
});
