import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';

/** The shipped anti-spam plugin, loaded by MAILHIVE_PLUGINS from plugins/, deciding over real SMTP deliveries. */
describe('anti-spam plugin', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    // Offline DNS: the sender domains have SPF records that fail for 127.0.0.1 or none at all.
    const fixtures = join(mkdtempSync(join(tmpdir(), 'mailhive-dns-')), 'dns.json');
    writeFileSync(fixtures, JSON.stringify({ 'spammer.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] } }));
    server = await MailhiveProcess.create({ MAILHIVE_PLUGINS: 'anti-spam', MAILHIVE_DNS_FIXTURES: fixtures });
    await server.start();
    await server.cli('domain', 'add', 'filter.example');
    await server.cli('user', 'add', 'kim@filter.example', '--password', 'password123');
  });

  afterAll(async () => {
    await server.destroy();
  });

  const send = (from: string, subject: string, text: string, headers: Record<string, string> = {}) =>
    createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }).sendMail({
      from,
      to: 'kim@filter.example',
      subject,
      text,
      headers,
    });

  const subjects = async (path: string): Promise<string[]> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'kim@filter.example', pass: 'password123' },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock(path);
      try {
        const result: string[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const message of client.fetch('1:*', { envelope: true })) result.push(message.envelope?.subject ?? '');
        }
        return result;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  it('files clean mail into INBOX, likely spam into Junk and refuses obvious spam at DATA', async () => {
    await send('ann@clean.test', 'Lunch on Friday?', 'Shall we meet at noon?');
    // SPF fail (3) + all-caps subject (2) + phrases: score 7, filed into Junk.
    await send('promo@spammer.test', 'SPECIAL SAVINGS INSIDE', 'Limited time offer for our customers.');
    // At DATA (before SPF is recorded): spoofed display name (3) + capitals (2) + phrases (6) = 11: refused.
    await expect(
      send('"billing@bank.example" <x@spammer.test>', 'YOU HAVE WON THE LOTTERY', 'Click here, 100% free, winner!'),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/^550 5\.7\.1 Message refused as spam \(score \d+:/) });

    expect(await subjects('INBOX')).toEqual(['Lunch on Friday?']);
    expect(await subjects('Junk')).toEqual(['SPECIAL SAVINGS INSIDE']);
  });
});
