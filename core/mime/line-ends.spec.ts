import { describe, expect, it } from 'vitest';
import { crlfLineEnds } from './line-ends.js';

describe('crlfLineEnds', () => {
  it('turns every bare LF of an LF-only message into CRLF', () => {
    expect(crlfLineEnds(Buffer.from('Subject: x\n\nline one\nline two\n')).toString('latin1')).toBe(
      'Subject: x\r\n\r\nline one\r\nline two\r\n',
    );
    expect(crlfLineEnds(Buffer.from('a\n\nb')).toString('latin1')).toBe('a\r\n\r\nb');
  });

  it('leaves a message with any CR, or without line breaks, byte for byte', () => {
    const mixed = Buffer.from('Subject: x\r\n\r\nbinary \n\x00\xff data\r\n', 'latin1');
    expect(crlfLineEnds(mixed)).toBe(mixed);
    const single = Buffer.from('no line break');
    expect(crlfLineEnds(single)).toBe(single);
  });
});
