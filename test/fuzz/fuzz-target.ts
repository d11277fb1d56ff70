import { createTransport } from 'nodemailer';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import { FUZZ_ACCOUNT } from './fuzz-messages.js';
import type { FuzzSession } from './fuzz-session.js';
import { runSession, type PortMap } from './session-runner.js';

/**
 * The server under fuzzing: the built Mailhive on loopback ports with a fresh data directory and database, one user
 * with a few messages and folders, so sessions reach the authenticated and selected states.
 */
export class FuzzTarget {
  private constructor(readonly server: MailhiveProcess) {}

  static async start(): Promise<FuzzTarget> {
    const server = await MailhiveProcess.create({
      // Wrong passwords are part of the grammar: the lockout must not turn every later login away.
      MAILHIVE_AUTH_MAX_FAILURES: '1000000000',
      MAILHIVE_SMTP_SEND_RATE_LIMIT: '1000000000',
      MAILHIVE_LOG_LEVEL: process.env.MAILHIVE_TEST_LOG_LEVEL ?? 'error',
    });
    const target = new FuzzTarget(server);
    try {
      await server.start();
      await target.seed();
    } catch (error) {
      await target.destroy();
      throw error;
    }
    return target;
  }

  get database(): string {
    return TEST_DB;
  }

  get ports(): PortMap {
    const { ports } = this.server;
    return { imap: ports.imap, pop3: ports.pop3, smtp: ports.smtp, smtps: ports.smtps };
  }

  /** Paths no reply may show: the data directory, and the repository the server runs from. */
  get secretPaths(): string[] {
    return [this.server.dataDir, process.cwd()];
  }

  private async seed(): Promise<void> {
    const { domain, user, peer, password } = FUZZ_ACCOUNT;
    for (const args of [
      ['domain', 'add', domain],
      ['user', 'add', user, '--password', password],
      ['user', 'add', peer, '--password', password],
    ]) {
      const result = await this.server.cli(...args);
      if (result.code !== 0) throw new Error(`mailhive ${args.join(' ')} failed: ${result.stderr}`);
    }
    const transport = createTransport({ host: '127.0.0.1', port: this.server.ports.smtp, secure: false, ignoreTLS: true });
    try {
      for (let i = 0; i < 4; i++) {
        await transport.sendMail({
          from: `Sender ${i} <sender${i}@remote.example>`,
          to: user,
          subject: `Seed ${i}`,
          text: `seed message ${i}\n`,
          ...(i % 2 === 1 ? { html: `<p>seed <b>${i}</b></p>`, attachments: [{ filename: `s${i}.txt`, content: `attachment ${i}` }] } : {}),
        });
      }
    } finally {
      transport.close();
    }
    const folders: FuzzSession = {
      index: -1,
      protocol: 'imap',
      port: 'imap',
      steps: ['LOGIN', 'CREATE Fuzz', 'CREATE Fuzz/Sub', 'CREATE Archive', 'SUBSCRIBE Fuzz', 'LOGOUT'].map((command, i) => ({
        send: Buffer.from(`S${i} ${command === 'LOGIN' ? `LOGIN ${user} ${password}` : command}\r\n`),
        until: { kind: 'imap-tagged', tag: `S${i}` },
      })),
    };
    const result = await runSession(folders, this.ports);
    if (!result.received.includes('S0 OK')) throw new Error(`seeding the mailbox failed:\n${result.received}`);
  }

  /** Stops the server; SIGKILL when it does not exit within `graceMs` (a server stuck in a loop ignores SIGTERM). */
  async destroy(graceMs = 5000): Promise<void> {
    const stopped = await Promise.race([
      this.server.stop().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref()),
    ]);
    if (!stopped) await this.server.crash();
    await this.server.destroy();
  }
}
