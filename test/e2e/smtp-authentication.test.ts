import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimSign, sealMessage } from 'mailauth';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage, splitTrace, StoreView } from './smtp-helpers.js';

/** SPF, DKIM, DMARC and ARC of inbound mail, against fixture DNS records served through MAILHIVE_DNS_FIXTURES. */
describe('SMTP inbound authentication (SPF, DKIM, DMARC, ARC)', () => {
  let server: MailhiveProcess;
  let store: StoreView;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  const send = (from: string, raw: Buffer) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: server.ports.smtp,
        secure: false,
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ envelope: { from, to: ['ann@auth.example'] }, raw });

  const signed = async (raw: Buffer, signingDomain = 'signed.test') => {
    const result = await dkimSign(raw, {
      signingDomain,
      selector: 'sel',
      privateKey: privatePem,
      signatureData: [{ signingDomain, selector: 'sel', privateKey: privatePem, canonicalization: 'relaxed/relaxed' }],
    });
    return Buffer.concat([Buffer.from(result.signatures), raw]);
  };

  beforeAll(async () => {
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'signed.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
        'sel._domainkey.signed.test': { TXT: [[`v=DKIM1; k=rsa; p=${publicDer}`]] },
        '_dmarc.signed.test': { TXT: [['v=DMARC1; p=reject']] },
        'strict.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
        '_dmarc.strict.test': { TXT: [['v=DMARC1; p=reject']] },
        'lax.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
        '_dmarc.lax.test': { TXT: [['v=DMARC1; p=none']] },
        'lists.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
        'arc._domainkey.lists.test': { TXT: [[`v=DKIM1; k=rsa; p=${publicDer}`]] },
        'other-list.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
        // The hosted domain publishes no SPF and no DMARC record, only a DKIM key.
        'sel._domainkey.auth.example': { TXT: [[`v=DKIM1; k=rsa; p=${publicDer}`]] },
        'arc._domainkey.other-list.test': { TXT: [[`v=DKIM1; k=rsa; p=${publicDer}`]] },
      }),
    );
    server = await MailhiveProcess.create({ MAILHIVE_DNS_FIXTURES: fixtures, MAILHIVE_SMTP_ARC_TRUSTED_SEALERS: 'Lists.test' });
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
    await expect(send('ceo@strict.test', rawMessage('ceo@strict.test', 'ann@auth.example', 'Forged', 'Pay now\r\n'))).rejects.toMatchObject(
      { responseCode: 550, response: expect.stringMatching(/^550 5\.7\.1 .*DMARC/) },
    );
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
    const raw = rawMessage(
      'info@lax.test',
      'ann@auth.example',
      'Forged results',
      body,
      'Authentication-Results: mail.test.example; dkim=pass header.d=bank.example\r\nAuthentication-Results: mx.elsewhere.example; spf=pass\r\n',
    );
    await send('info@lax.test', raw);
    const stored = (await store.messages('ann@auth.example')).at(-1)!.raw;
    const expected = Buffer.from(
      raw.toString().replace('Authentication-Results: mail.test.example;', 'X-Untrusted-Authentication-Results: mail.test.example;'),
    );
    const { trace, rest } = splitTrace(stored, expected);
    expect(rest.equals(expected)).toBe(true);
    expect(trace).toMatch(/^Authentication-Results: mail\.test\.example;\r\n dkim=none/m);
  };

  it('refuses mail from outside in the name of a hosted domain unless DKIM authenticates that domain', async () => {
    const forged = rawMessage('ceo@auth.example', 'ann@auth.example', 'Urgent transfer', 'Pay now\r\n');
    await expect(send('ceo@auth.example', forged)).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/^550 5\.7\.1 From names a domain hosted here/),
    });
    await expect(send('bounces@outside.example', forged)).rejects.toMatchObject({ responseCode: 550 });
    const genuine = await signed(rawMessage('ceo@auth.example', 'ann@auth.example', 'Signed at home', 'Hello\r\n'), 'auth.example');
    await send('ceo@auth.example', genuine);
    const { rest } = splitTrace((await store.messages('ann@auth.example')).at(-1)!.raw, genuine);
    expect(rest.equals(genuine)).toBe(true);
  });

  /** A mailing list that received the signed message, tagged its subject (breaking the DKIM signature) and sealed it. */
  const forwardedByList = async (from: string, body: string, sealer = 'lists.test') => {
    const original = await signed(rawMessage(from, 'ann@auth.example', 'Digest', body));
    const tagged = Buffer.from(original.toString().replace('Subject: Digest', 'Subject: [list] Digest'));
    // mailauth's typings omit the chain state and the results being sealed, which its sealer reads.
    const options = {
      signingDomain: sealer,
      selector: 'arc',
      privateKey: privatePem,
      cv: 'none',
      authResults: `mx.${sealer}; dkim=pass header.d=signed.test; spf=pass smtp.mailfrom=${from}; dmarc=pass header.from=signed.test`,
    };
    return Buffer.concat([await sealMessage(tagged, options), tagged]);
  };

  it("accepts a forwarded message that fails DMARC p=reject when a trusted sealer's ARC chain verifies", async () => {
    const raw = await forwardedByList('news@signed.test', 'List body\r\n');
    await send('bounces@lists.test', raw);
    const { trace, rest } = splitTrace((await store.messages('ann@auth.example')).at(-1)!.raw, raw);
    expect(rest.equals(raw)).toBe(true);
    expect(trace).toMatch(/arc=pass \(i=1 spf=pass dkim=pass dmarc=pass fromdomain=signed\.test\)/);
    expect(trace).toMatch(/dmarc=fail /);
  });

  it('still refuses that message when the sealer is not trusted', async () => {
    await expect(
      send('bounces@other-list.test', await forwardedByList('news@signed.test', 'List body\r\n', 'other-list.test')),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.7\.1 .*DMARC/) });
  });

  it('reports arc=fail for a sealed message altered after sealing, and then no longer overrides DMARC', async () => {
    const raw = await forwardedByList('info@lax.test', 'Sealed body\r\n');
    const tampered = Buffer.from(raw.toString().replace('Sealed body', 'Changed body'));
    await send('bounces@lists.test', tampered);
    const { trace } = splitTrace((await store.messages('ann@auth.example')).at(-1)!.raw, tampered);
    expect(trace).toMatch(/arc=fail /);
    const strict = await forwardedByList('news@signed.test', 'Sealed body\r\n');
    await expect(send('bounces@lists.test', Buffer.from(strict.toString().replace('Sealed body', 'Changed body')))).rejects.toMatchObject({
      responseCode: 550,
    });
  });
});
