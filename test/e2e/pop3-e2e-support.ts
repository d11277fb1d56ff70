import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { LeaseService } from '../../core/leases/lease.service.js';
import { LeaseRepository } from '../../core/store/repositories/lease.repository.js';
import { MessageEntity } from '../../core/store/entities/message.entity.js';
import { StoreService } from '../../core/store/store.service.js';
import { closeCoreResources, openCoreResources } from '../../app/core-resources.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { CoreModule, type CoreResources } from '../../core/core.module.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService, type FiledMessage } from '../../core/mail/message.service.js';
import type { MessageSummary } from '../../core/store/repositories/mail.repository.js';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { WireSocket } from '../support/wire-socket.js';

export const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'python');

/**
 * The running server's store, opened the way the `mailhive` CLI opens it while the server runs: same data
 * directory, same database, separate connections. Used to put messages into an INBOX (the test's stand-in for
 * SMTP delivery, which this suite must not depend on) and to check what POP3 changed.
 */
export class ServerStore {
  private constructor(
    private readonly context: INestApplicationContext,
    private readonly resources: CoreResources,
  ) {}

  static async open(server: MailhiveProcess): Promise<ServerStore> {
    const config = loadConfig({ ...server.env, MAILHIVE_LOG_LEVEL: 'silent' } as Record<string, string>);
    const resources = await openCoreResources(config, createLogger('silent'), { plugins: false });
    const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
    return new ServerStore(context, resources);
  }

  async inbox(address: string): Promise<{ accountId: number; mailboxId: number; uidValidity: number }> {
    const account = await this.context.get(AccountsService).getUser(address);
    const inbox = await this.context.get(MailboxService).get(account.id, 'INBOX');
    return { accountId: account.id, mailboxId: inbox.id, uidValidity: inbox.uidValidity };
  }

  async deliver(address: string, raw: Buffer | string, internalDate?: number): Promise<FiledMessage> {
    const { accountId, mailboxId } = await this.inbox(address);
    return this.context
      .get(MessageService)
      .append({ accountId, mailboxId, internalDate }, Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'));
  }

  async messages(address: string): Promise<MessageSummary[]> {
    return this.context.get(MessageService).list((await this.inbox(address)).mailboxId);
  }

  /** The stored bytes of the INBOX messages, in UID order. */
  async raws(address: string): Promise<{ uid: number; raw: Buffer }[]> {
    const service = this.context.get(MessageService);
    const rows = await this.messages(address);
    return Promise.all(rows.map(async (row) => ({ uid: row.uid, raw: await service.readRaw(row.blobId) })));
  }

  async expungedSince(address: string, modseq: number): Promise<number[]> {
    return (await this.context.get(MessageService).changesSince((await this.inbox(address)).mailboxId, modseq)).vanished;
  }

  /** Takes the POP3 lock of a maildrop as a node that then dies would leave it behind. */
  async lockMaildrop(address: string, owner: string, ttlMs: number): Promise<boolean> {
    const { mailboxId } = await this.inbox(address);
    return new LeaseService(new LeaseRepository(this.context.get(StoreService))).acquire(`pop3:maildrop:${mailboxId}`, owner, ttlMs);
  }

  /** Clears the stored CRLF sizes of the INBOX, as rows stored before sizes were kept have them. */
  async forgetCrlfSizes(address: string): Promise<void> {
    const { mailboxId } = await this.inbox(address);
    await this.context
      .get(StoreService)
      .transaction((manager) => manager.update(MessageEntity, { mailboxId }, { crlfSize: null, lineCount: null }));
  }

  async usedBytes(address: string): Promise<number> {
    return (await this.context.get(AccountsService).getUser(address)).usedBytes;
  }

  async close(): Promise<void> {
    await this.context.close();
    await closeCoreResources(this.resources);
  }
}

/** What RFC 1939 says RETR sends for a stored message, computed independently of the server: CRLF line ends. */
export function expectedRetr(raw: string): string {
  const crlf = raw.replace(/\r?\n/g, '\r\n');
  return crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`;
}

/** A small POP3 client on a raw socket, reading exactly what the server sends. */
export class RawPop3 {
  private constructor(private readonly wire: WireSocket) {}

  static async connect(port: number, tls = false): Promise<RawPop3> {
    return new RawPop3(await WireSocket.open(port, tls));
  }

  get closed(): boolean {
    return this.wire.closed;
  }

  get encrypted(): boolean {
    return this.wire.encrypted;
  }

  send(data: string | Buffer): void {
    this.wire.write(data);
  }

  /** One line without its CRLF. */
  line(): Promise<string> {
    return this.read(() => {
      const at = this.wire.unread.indexOf('\r\n');
      return at === -1
        ? undefined
        : this.wire
            .take(at + 2)
            .subarray(0, at)
            .toString('latin1');
    });
  }

  /** Sends a command and returns the status line. */
  async command(line: string): Promise<string> {
    this.send(`${line}\r\n`);
    return this.line();
  }

  /** The raw bytes of a multi-line body up to and excluding the terminating ".\r\n" (still dot-stuffed). */
  multiline(): Promise<Buffer> {
    return this.read(() => {
      const unread = this.wire.unread;
      const end = unread.subarray(0, 3).equals(Buffer.from('.\r\n')) ? 0 : unread.indexOf('\r\n.\r\n');
      if (end === -1) return undefined;
      const body = this.wire.take(end === 0 ? 0 : end + 2);
      this.wire.take(3);
      return body;
    });
  }

  startTls(): Promise<void> {
    return this.wire.startTls();
  }

  /** Waits until the server closes the connection. */
  async waitClosed(): Promise<void> {
    await this.wire.until(() => undefined, 30_000);
  }

  /** Drops the connection without QUIT. */
  drop(): void {
    this.wire.close();
  }

  async quit(): Promise<string> {
    const reply = await this.command('QUIT');
    await this.waitClosed();
    return reply;
  }

  /** What `take` returns once it has it; a connection closed first is an error, as a POP3 reply was due. */
  private async read<T>(take: () => T | undefined): Promise<T> {
    const value = await this.wire.until(take, 30_000);
    if (value === undefined) throw new Error(`connection closed; unread: ${JSON.stringify(this.wire.unread.toString('latin1'))}`);
    return value;
  }
}

/** Runs a script of test/e2e/python and parses the JSON it prints. */
export function runPython<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(PYTHON_DIR, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}
