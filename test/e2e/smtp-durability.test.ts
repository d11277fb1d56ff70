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
    const senders = Array.from({ length: 10 }, () =>
      nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }),
    );
    await Promise.all(
      senders.map(async (transport, worker) => {
        for (let i = worker; i < subjects.length; i += senders.length) {
          const info = await transport.sendMail({
            envelope: { from: 'sender@outside.example', to: ['ann@keep.example'] },
            raw: rawMessage('sender@outside.example', 'ann@keep.example', subjects[i]!, `Message ${i}.\r\n`),
          });
          expect(info.response).toMatch(/^250 /);
        }
      }),
    );
    senders.forEach((transport) => transport.close());
    await server.crash();
    await server.start();

    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'ann@keep.example', pass: 'secret123' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
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

  it('after a kill in the middle of concurrent deliveries, has every acknowledged message whole and no partial one', async () => {
    expect((await server.cli('user', 'add', 'bob@keep.example', '--password', 'secret123')).code).toBe(0);
    // Every fifth message is large, so it is spooled to disk and its blob streamed rather than written from memory.
    const raws = new Map<number, Buffer>();
    const raw = (i: number) =>
      raws.get(i) ??
      raws
        .set(
          i,
          rawMessage(
            'sender@outside.example',
            'bob@keep.example',
            `inflight ${i}`,
            `Message ${i}.\r\n${`${'z'.repeat(76)}\r\n`.repeat(i % 5 === 0 ? 2000 : 3)}End ${i}.\r\n`,
          ),
        )
        .get(i)!;
    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const senders = Array.from({ length: 10 }, () =>
      nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }),
    );
    const sending = Promise.all(
      senders.map(async (transport) => {
        while (!killed) {
          const i = next++;
          try {
            await transport.sendMail({ envelope: { from: 'sender@outside.example', to: ['bob@keep.example'] }, raw: raw(i) });
            if (!killed) acknowledged.add(i);
          } catch {
            // Refused or cut off by the kill: not acknowledged, so it may or may not have been stored.
          }
        }
      }),
    );
    while (acknowledged.size < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    // Only answers read before the kill count: one arriving after it was decided is not taken as acknowledged.
    const acked = [...acknowledged];
    killed = true;
    await server.crash();
    await sending;
    senders.forEach((transport) => transport.close());
    await server.start();

    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      auth: { user: 'bob@keep.example', pass: 'secret123' },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const stored = new Set<number>();
      for await (const message of client.fetch('1:*', { envelope: true, source: true })) {
        const i = Number((message.envelope?.subject ?? '').split(' ')[1]);
        const sent = raws.get(i)!;
        expect(message.source!.subarray(message.source!.length - sent.length).equals(sent)).toBe(true);
        stored.add(i);
      }
      for (const i of acked) expect(stored.has(i)).toBe(true);
    } finally {
      await client.logout();
    }
  });
});
