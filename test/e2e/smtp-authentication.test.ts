import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimSign } from 'mailauth';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, splitTrace, StoreView } from './smtp-helpers.js';

/** SPF, DKIM and DMARC of inbound mail, against fixture DNS records served through MAILHIVE_DNS_FIXTURES. */
describe('SMTP inbound authentication (SPF, DKIM, DMARC)', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  const send = (from: string, raw: Buffer) => nodemailer.createTransport({
    host: '127.0.0.1', port: server.ports.smtp, secure: false, tls: { rejectUnauthorized: false },
  }).sendMail({ envelope: { from, to: ['ann@auth.example'] }, raw });

  const signed = async (raw: Buffer) => {
    const result = await dkimSign(raw, { signingDomain: 'signed.test', selector: 'sel', privateKey: privatePem,
      signatureData: [{ signingDomain: 'signed.test', selector: 'sel', privateKey: privatePem, canonicalization: 'relaxed/relaxed' }] });
    return Buffer.concat([Buffer.from(result.signatures), raw]);
  };

  beforeAll(async () => {
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(fixtures, JSON.stringify({
      'signed.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
      'sel._domainkey.signed.test': { TXT: [[`v=DKIM1; k=rsa; p=${publicDer}`]] },
      '_dmarc.signed.test': { TXT: [['v=DMARC1; p=reject']] },
      'strict.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
      '_dmarc.strict.test': { TXT: [['v=DMARC1; p=reject']] },
      'lax.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
      '_dmarc.lax.test': { TXT: [['v=DMARC1; p=none']] },
    }));
    server = await MailhiveProcess.create({ MAILHIVE_DNS_FIXTURES: fixtures });
    await server.start();
    expect((await server.cli('domain', 'add', 'auth.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@auth.example', '--password', 'secret123')).code).toBe(0);
    store = await StoreView.open(server);
  });

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('records spf=pass, dkim=pass and dmarc=pass in Authentication-Results', async () => {
    const raw = await signed(rawMessage('news@signed.test', 'ann@auth.example', 'Signed', 'Signed body\r\n'));
    await send('news@signed.test', raw);
    const stored = (await store.messages('ann@auth.example')).at(-1)!;
    const { trace, rest } = splitTrace(stored.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    const results = /^Authentication-Results: mail\.test\.example;\r\n((?:[ \t][^\r\n]*\r\n)+)/m.exec(trace)?.[1] ?? '';
    expect(results).toMatch(/dkim=pass [^;]*header\.i=@signed\.test header\.s=sel/);
    expect(results).toMatch(/spf=pass [^;]*smtp\.mailfrom=news@signed\.test/);
    expect(results).toMatch(/dmarc=pass [^;]*header\.from=signed\.test/);
    expect(trace).toMatch(/^Received-SPF: pass /m);
  });

  it('refuses a DMARC failure when the domain publishes p=reject', async () => {
    await expect(send('ceo@strict.test', rawMessage('ceo@strict.test', 'ann@auth.example', 'Forged', 'Pay now\r\n')))
      .rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.7\.1 .*DMARC/) });
  });

  it('accepts a DMARC failure under p=none and says so', async () => {
    const raw = rawMessage('info@lax.test', 'ann@auth.example', 'Lax', 'Lax\r\n');
    await send('info@lax.test', raw);
    const { trace } = splitTrace((await store.messages('ann@auth.example')).at(-1)!.raw, raw);
    expect(trace).toMatch(/spf=fail /);
    expect(trace).toMatch(/dmarc=fail /);
  });

  it('detects a message altered after signing (mailauth reports a body hash mismatch as dkim=neutral)', async () => {
    const raw = await signed(rawMessage('news@signed.test', 'ann@auth.example', 'Tampered', 'Original\r\n'));
    const tampered = Buffer.from(raw.toString().replace('Original', 'Altered!'));
    await send('news@signed.test', tampered);
    const { trace } = splitTrace((await store.messages('ann@auth.example')).at(-1)!.raw, tampered);
    expect(trace).toMatch(/dkim=neutral \(body hash did not verify\)/);
    // SPF still passes and aligns, so DMARC passes.
    expect(trace).toMatch(/dmarc=pass /);
  });

  it('renames Authentication-Results fields forged in our name (RFC 8601 §5) and keeps everything else', async () => {
    // Once small (kept in memory), once large (streamed from the spool file).
    for (const body of ['x\r\n', `${'y'.repeat(98)}\r\n`.repeat(2000)]) await checkForged(body);
  });

  const checkForged = async (body: string) => {
    const raw = rawMessage('info@lax.test', 'ann@auth.example', 'Forged results', body,
      'Authentication-Results: mail.test.example; dkim=pass header.d=bank.example\r\nAuthentication-Results: mx.elsewhere.example; spf=pass\r\n');
    await send('info@lax.test', raw);
    const stored = (await store.messages('ann@auth.example')).at(-1)!.raw;
    const expected = Buffer.from(raw.toString().replace('Authentication-Results: mail.test.example;', 'X-Untrusted-Authentication-Results: mail.test.example;'));
    const { trace, rest } = splitTrace(stored, expected);
    expect(rest.equals(expected)).toBe(true);
    expect(trace).toMatch(/^Authentication-Results: mail\.test\.example;\r\n dkim=none/m);
  };
});
