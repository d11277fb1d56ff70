import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { rawMessage } from './smtp-helpers.js';

describe('SMTP durability', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'keep.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'ann@keep.example', '--password', 'secret123')).code).toBe(0);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('keeps every message answered 250 when the server is killed right after the last answer', async () => {
    const subjects = Array.from({ length: 40 }, (_, i) => `durable ${i}`);
    // Ten connections at once, so that commits are grouped as they are under load.
    const senders = Array.from({ length: 10 }, () => nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }));
    await Promise.all(senders.map(async (transport, worker) => {
      for (let i = worker; i < subjects.length; i += senders.length) {
        const info = await transport.sendMail({
          envelope: { from: 'sender@outside.example', to: ['ann@keep.example'] },
          raw: rawMessage('sender@outside.example', 'ann@keep.example', subjects[i]!, `Message ${i}.\r\n`),
        });
        expect(info.response).toMatch(/^250 /);
      }
    }));
    senders.forEach((transport) => transport.close());
    await server.crash();
    await server.start();

    const client = new ImapFlow({ host: '127.0.0.1', port: server.ports.imap, secure: false, auth: { user: 'ann@keep.example', pass: 'secret123' }, logger: false, tls: { rejectUnauthorized: false } });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const stored: string[] = [];
      // The content too, read back from the blob store the killed process wrote.
      for await (const message of client.fetch('1:*', { envelope: true, source: true })) {
        const subject = message.envelope?.subject ?? '';
        expect(message.source?.toString()).toContain(`Message ${subject.split(' ')[1]}.\r\n`);
        stored.push(subject);
      }
      expect(stored.sort()).toEqual([...subjects].sort());
    } finally {
      await client.logout();
    }
  });
});
