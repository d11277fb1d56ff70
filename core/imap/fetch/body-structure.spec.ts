import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../mime/mime-tree.parser.js';
import { encodeLine } from '../protocol/imap-writer.js';
import { bodyStructureValue } from './body-structure.js';

/** BODYSTRUCTURE of raw message bytes as it goes on the wire. */
function wire(raw: string): string {
  const line = encodeLine([bodyStructureValue(parseMimeTree(Buffer.from(raw, 'latin1')), true)], { utf8: false });
  if (typeof line !== 'string') throw new Error('literal in BODYSTRUCTURE');
  return line;
}

describe('BODYSTRUCTURE on raw messages (answers checked against Dovecot 2.3)', () => {
  it('counts line breaks and gives text parts without a charset the US-ASCII default', () => {
    expect(wire('Subject: x\r\n\r\none\r\ntwo')).toBe('("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 8 1 NIL NIL NIL NIL)');
    expect(
      wire(
        'Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<i>html</i>\r\n--b--\r\n',
      ),
    ).toBe(
      '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 0 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 11 0 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "b") NIL NIL NIL)',
    );
  });

  it('passes parameters in the order sent, RFC 2231 ones still encoded', () => {
    expect(
      wire(
        'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary=s\r\n\r\n--s\r\nContent-Type: application/pdf; name*=utf-8\'\'%E6%8A%A5.pdf\r\n\r\nx\r\n--s--\r\n',
      ),
    ).toBe(
      '(("APPLICATION" "PDF" ("NAME*" "utf-8\'\'%E6%8A%A5.pdf") NIL NIL "7BIT" 1 NIL NIL NIL NIL) "SIGNED" ("MICALG" "pgp-sha256" "PROTOCOL" "application/pgp-signature" "BOUNDARY" "s") NIL NIL NIL)',
    );
  });

  it('sends one language as a list, and an empty part for a multipart without parts', () => {
    expect(wire('Content-Type: multipart/mixed; boundary="none"\r\nContent-Language: en\r\n\r\nOnly a preamble.\r\n--none--\r\n')).toBe(
      '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "none") NIL ("en") NIL)',
    );
  });

  it('describes the parts of a multipart/digest as message/rfc822 by default (RFC 2046 §5.1.5)', () => {
    expect(wire('Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nOne.\r\n--d--\r\n')).toBe(
      '(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 20 (NIL "one" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 4 0 NIL NIL NIL NIL) 2 NIL NIL NIL NIL) "DIGEST" ("BOUNDARY" "d") NIL NIL NIL)',
    );
  });
});
