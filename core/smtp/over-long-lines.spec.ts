import { describe, expect, it } from 'vitest';
import { OVER_LONG_MARKER, OverLongLineFilter } from './over-long-lines.js';

const marker = `${OVER_LONG_MARKER}\r\n`;

describe('over-long SMTP command lines', () => {
  it('passes lines up to the limit as they are', () => {
    const filter = new OverLongLineFilter(10);
    expect(filter.filter(Buffer.from('NOOP 12345\r\nQUIT\r\n'), 0)).toEqual({
      output: Buffer.from('NOOP 12345\r\nQUIT\r\n'),
      dropPending: false,
    });
  });

  it('replaces a complete over-long line and keeps the pipelined lines around it', () => {
    const filter = new OverLongLineFilter(10);
    const { output, dropPending } = filter.filter(Buffer.from('NOOP\r\nMAIL FROM:<aaaaaaaa>\r\nQUIT\r\n'), 0);
    expect(output.toString('latin1')).toBe(`NOOP\r\n${marker}QUIT\r\n`);
    expect(dropPending).toBe(false);
  });

  it('cuts a line as soon as it grows too long and drops its tail from later chunks', () => {
    const filter = new OverLongLineFilter(10);
    expect(filter.filter(Buffer.from('MAIL FROM'), 0).output.toString('latin1')).toBe('MAIL FROM');
    // The parser holds the 9 octets above; the line now passes the limit, so they are to be dropped.
    expect(filter.filter(Buffer.from(':<aaaa'), 9)).toEqual({ output: Buffer.from(marker, 'latin1'), dropPending: true });
    expect(filter.filter(Buffer.from('RCPT TO:<x@y>'), 0).output.length).toBe(0);
    expect(filter.filter(Buffer.from('zz>\r\nRSET\r\n'), 0).output.toString('latin1')).toBe('RSET\r\n');
  });

  it('measures a complete line without its CRLF or bare LF', () => {
    const filter = new OverLongLineFilter(4);
    expect(filter.filter(Buffer.from('NOOP\r\nNOOP\nNOOPS\n'), 0).output.toString('latin1')).toBe(`NOOP\r\nNOOP\n${marker}`);
  });
});
