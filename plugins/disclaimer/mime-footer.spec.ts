import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { addFooter } from './mime-footer.js';

const footer = { text: 'Confidential.\nExample Ltd' };

const changed = (raw: string) => {
  const result = addFooter(Buffer.from(raw.replace(/\n/g, '\r\n'), 'latin1'), footer);
  if (!result.changed) throw new Error(`unchanged: ${result.reason}`);
  return result.raw;
};

describe('disclaimer footer', () => {
  it('appends to a plain text message after a signature separator, in UTF-8', async () => {
    const parsed = await simpleParser(
      changed(
        'From: a@x.example\nSubject: hi\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe\n',
      ),
    );
    expect(parsed.text).toBe('Grüße\n\n-- \nConfidential.\nExample Ltd\n');
    expect(parsed.subject).toBe('hi');
  });

  it('adds to both parts of multipart/alternative and keeps the attachment byte for byte', async () => {
    const attachment = 'AAECAwQFBgcICQ==';
    const raw = changed(
      [
        'From: a@x.example',
        'Subject: both',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="m"',
        '',
        '--m',
        'Content-Type: multipart/alternative; boundary=alt',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello',
        '--alt',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('<html><body><p>Hello</p></body></html>').toString('base64'),
        '--alt--',
        '',
        '--m',
        'Content-Type: application/octet-stream; name=a.bin',
        'Content-Disposition: attachment; filename=a.bin',
        'Content-Transfer-Encoding: base64',
        '',
        attachment,
        '--m--',
        '',
      ].join('\n'),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe('Hello\n\n-- \nConfidential.\nExample Ltd\n');
    expect(parsed.html).toBe('<html><body><p>Hello</p><div class="mailhive-disclaimer">Confidential.<br>Example Ltd</div></body></html>');
    expect(parsed.attachments[0]!.content.toString('base64')).toBe(attachment);
    expect(raw.toString('latin1')).toContain(`Content-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--m--`);
  });

  it('leaves signed and encrypted messages alone', () => {
    const signed =
      'From: a@x.example\nContent-Type: multipart/signed; protocol="application/pgp-signature"; boundary=s\n\n--s\nContent-Type: text/plain\n\nhi\n--s--\n';
    expect(addFooter(Buffer.from(signed), footer)).toEqual({ changed: false, reason: 'signed' });
    expect(
      addFooter(Buffer.from('From: a@x.example\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\n\nMIAG\n'), footer),
    ).toEqual({ changed: false, reason: 'signed' });
    expect(addFooter(Buffer.from('From: a@x.example\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhi\n'), footer)).toEqual({
      changed: false,
      reason: 'signed',
    });
    expect(addFooter(Buffer.from('From: a@x.example\nContent-Type: image/png\n\nxx\n'), footer)).toEqual({
      changed: false,
      reason: 'no-text-part',
    });
  });
});
