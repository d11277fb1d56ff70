import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { closeCoreResources, openCoreResources } from '../../app/core-resources.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { CoreModule, type CoreResources } from '../../core/core.module.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { WireSocket } from '../support/wire-socket.js';

export interface StoredMessage {
  uid: number;
  blobId: string;
  raw: Buffer;
}

/**
 * The core services opened on a running server's data directory and database, to read back what SMTP stored.
 * (The IMAP server of this checkout is still a placeholder; SQLite in WAL mode and MariaDB both allow this second
 * reader.) Open it before any SMTP traffic: opening the blob store clears its tmp directory.
 */
export class StoreView {
  private constructor(
    private readonly context: INestApplicationContext,
    private readonly resources: CoreResources,
  ) {}

  static async open(server: MailhiveProcess): Promise<StoreView> {
    const config = loadConfig({ ...server.env, MAILHIVE_LOG_LEVEL: 'silent' } as Record<string, string>);
    const resources = await openCoreResources(config, createLogger('silent'), { plugins: false });
    const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
    return new StoreView(context, resources);
  }

  async messages(address: string, path = 'INBOX'): Promise<StoredMessage[]> {
    const account = await this.context.get(AccountsService).findUser(address);
    if (!account) throw new Error(`no user ${address}`);
    const mailbox = await this.context.get(MailboxService).find(account.id, path);
    if (!mailbox) throw new Error(`no mailbox ${path} for ${address}`);
    const messages = this.context.get(MessageService);
    const result: StoredMessage[] = [];
    for (const row of await messages.list(mailbox.id)) {
      result.push({ uid: row.uid, blobId: row.blobId, raw: await messages.readRaw(row.blobId) });
    }
    return result;
  }

  /** Waits until the mailbox holds `count` messages (outbound deliveries and bounces arrive asynchronously). */
  async waitFor(address: string, count: number, timeoutMs = 15_000, path = 'INBOX'): Promise<StoredMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await this.messages(address, path);
      if (messages.length >= count || Date.now() > deadline) return messages;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await this.context.close();
    await closeCoreResources(this.resources);
  }
}

/** Splits a stored message into the trace lines Mailhive prepended and the bytes that were sent. */
export function splitTrace(stored: Buffer, sent: Buffer): { trace: string; rest: Buffer } {
  return { trace: stored.subarray(0, stored.length - sent.length).toString('utf8'), rest: stored.subarray(stored.length - sent.length) };
}

/** A raw SMTP client for what real clients never send: bare LFs, pipelined STARTTLS, smuggling attempts. */
export class SmtpWire {
  private constructor(private readonly wire: WireSocket) {}

  static async open(port: number, implicitTls = false): Promise<SmtpWire> {
    const wire = new SmtpWire(await WireSocket.open(port, implicitTls));
    await wire.reply();
    return wire;
  }

  write(data: string | Buffer): void {
    this.wire.write(data);
  }

  /** The next complete reply (all its lines), e.g. "250-a\r\n250 b". Null when the server closed first. */
  async reply(timeoutMs = 10_000): Promise<string | null> {
    const reply = await this.wire.until(() => {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.wire.unread.toString('latin1'));
      return match ? this.wire.take(match[0].length).toString('utf8').trimEnd() : undefined;
    }, timeoutMs);
    return reply ?? null;
  }

  async command(line: string): Promise<string | null> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Whatever arrived but was not read as a reply yet (to prove nothing extra was sent). */
  pending(): string {
    return this.wire.unread.toString('utf8');
  }

  /** STARTTLS already answered 220: wraps the socket in TLS. */
  upgrade(): Promise<void> {
    return this.wire.startTls();
  }

  close(): void {
    this.wire.close();
  }
}

/** A plain RFC 5322 message with CRLF line endings. */
export function rawMessage(from: string, to: string, subject: string, body: string, extraHeaders = ''): Buffer {
  return Buffer.from(
    `From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${Math.random().toString(36).slice(2)}@test.example>\r\n${extraHeaders}MIME-Version: 1.0\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
    'utf8',
  );
}

/**
 * One SMTP transaction over a raw socket, with per-recipient parameters that client libraries cannot send.
 * With `login`, the session does STARTTLS and AUTH PLAIN first (the submission port). Returns the reply to MAIL,
 * to each RCPT, and to the message (null when DATA was not reached).
 */
export async function smtpTransaction(
  port: number,
  options: {
    login?: { user: string; pass: string };
    mail: string;
    rcpts: string[];
    message: Buffer;
  },
): Promise<{ mail: string; rcpts: string[]; data: string | null }> {
  const wire = await SmtpWire.open(port);
  try {
    await wire.command('EHLO client.test');
    if (options.login) {
      await wire.command('STARTTLS');
      await wire.upgrade();
      await wire.command('EHLO client.test');
      const auth = await wire.command(`AUTH PLAIN ${Buffer.from(`\0${options.login.user}\0${options.login.pass}`).toString('base64')}`);
      if (!auth?.startsWith('235')) throw new Error(`login failed: ${auth}`);
    }
    const mail = (await wire.command(`MAIL FROM:${options.mail}`)) ?? '';
    const rcpts: string[] = [];
    for (const rcpt of options.rcpts) rcpts.push((await wire.command(`RCPT TO:${rcpt}`)) ?? '');
    let data: string | null = null;
    if (mail.startsWith('250') && rcpts.some((reply) => reply.startsWith('250'))) {
      if ((await wire.command('DATA'))?.startsWith('354')) {
        wire.write(Buffer.concat([options.message, Buffer.from('.\r\n')]));
        data = await wire.reply();
      }
    }
    await wire.command('QUIT');
    return { mail, rcpts, data };
  } finally {
    wire.close();
  }
}
