import { describe, expect, it } from 'vitest';
import { encodeValues } from '../protocol/imap-writer.js';
import { KeywordAnnouncement } from './keyword-announcement.js';

const text = (lines: ReturnType<KeywordAnnouncement['announce']>) =>
  lines.map((line) => Buffer.concat(encodeValues(line, { utf8: false })).toString());

describe('KeywordAnnouncement', () => {
  it('names a new keyword in FLAGS and PERMANENTFLAGS once, with every keyword known so far', () => {
    const keywords = new KeywordAnnouncement(false);
    expect(text(keywords.announce(['\\Seen', '$Label1']))).toEqual([
      'FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)',
      'OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted',
    ]);
    expect(keywords.announce(['$Label1', '\\Deleted', '$label1'])).toEqual([]);
    expect(text(keywords.announce(['$Label2']))[0]).toBe('FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)');
  });

  it('announces nothing for system flags, and no permanent flags in a read-only mailbox', () => {
    const keywords = new KeywordAnnouncement(true);
    expect(keywords.announce(['\\Seen', '\\Recent'])).toEqual([]);
    expect(text(keywords.announce(['Work']))[1]).toBe('OK [PERMANENTFLAGS ()] Flags permitted');
  });
});
