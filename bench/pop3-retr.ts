// POP3 RETR throughput: one session RETRs 5,000 messages of ~4.7 KB with Python's poplib, against the built server on
// a fresh store and, in the same run, against Dovecot (dovecot-pop3d) holding the same messages. Prints one summary line.
// Run: npm run build && node dist/bench/pop3-retr.js [messages=5000]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { AccountsService } from '../core/accounts/accounts.service.js';
import { closeCoreResources, openCoreResources } from '../app/core-resources.js';
import { loadConfig } from '../core/config/config.loader.js';
import { CoreModule } from '../core/core.module.js';
import { createLogger } from '../core/logging/logger.js';
import { MailboxService } from '../core/mail/mailbox.service.js';
import { MessageService } from '../core/mail/message.service.js';
import { DovecotServer } from '../test/support/dovecot-server.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const count = Number(process.argv[2] ?? 5000);
const USER = 'bench@pop3.example';
const PASSWORD = 'bench password';

interface Run {
  messages: number;
  octets: number;
  login_s: number;
  retr_s: number;
}

/** The client half lives in bench/pop3-retr.py (also usable against other servers); found from src or dist. */
function clientScript(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'bench', 'pop3-retr.py');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('bench/pop3-retr.py not found');
}

/** ~4.7 KB of plausible mail: headers and 50 lines of text, different in every message (blobs are deduplicated). */
function message(i: number): Buffer {
  const words = ['meeting', 'quarterly', 'report', 'attached', 'please', 'review', 'numbers', 'budget', 'team', 'update'];
  const lines = Array.from(
    { length: 50 },
    (_, n) => `${Array.from({ length: 11 }, (_, w) => words[(i * 7 + n * 3 + w) % words.length]).join(' ')} ${i}.${n}`,
  );
  return Buffer.from(
    [
      `From: Sender ${i} <sender${i}@example.org>`,
      `To: ${USER}`,
      `Subject: Benchmark message ${i}`,
      'Date: Sun, 29 Nov 2026 12:00:00 +0000',
      `Message-ID: <bench-${i}@example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      ...lines,
      '',
    ].join('\r\n'),
  );
}

/** Seeds the INBOX through the mail services, as the CLI would, before the server starts. */
async function seed(server: MailhiveProcess): Promise<number> {
  const config = loadConfig({ ...server.env, MAILHIVE_LOG_LEVEL: 'silent' } as Record<string, string>);
  const resources = await openCoreResources(config, createLogger('silent'), { plugins: false });
  const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
  try {
    const account = await context.get(AccountsService).getUser(USER);
    const inbox = await context.get(MailboxService).get(account.id, 'INBOX');
    const messages = context.get(MessageService);
    let next = 0;
    let bytes = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) {
          const raw = message(next++);
          bytes += raw.length;
          await messages.append({ accountId: account.id, mailboxId: inbox.id }, raw);
        }
      }),
    );
    return bytes;
  } finally {
    await context.close();
    await closeCoreResources(resources);
  }
}

/** The same messages in a maildir for Dovecot (dovecot-pop3d), which indexes it during its first session. */
function seedMaildir(dovecot: DovecotServer): void {
  const root = dovecot.maildir(USER);
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(root, sub), { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(root, 'cur', `${1_700_000_000 + i}.M${i}P1.bench:2,`), message(i));
}

const runClient = (port: number): Run =>
  JSON.parse(execFileSync('python3', [clientScript(), '127.0.0.1', String(port), USER, PASSWORD], { encoding: 'utf8' })) as Run;
const mibps = (run: Run) => run.octets / run.retr_s / 1048576;
const median = (runs: Run[]) => [...runs].sort((a, b) => a.retr_s - b.retr_s)[Math.floor(runs.length / 2)];

const server = await MailhiveProcess.create();
const dovecot = DovecotServer.available() ? DovecotServer.create({ [USER]: PASSWORD }, { pop3: true }) : null;
try {
  await server.cli('domain', 'add', 'pop3.example');
  await server.cli('user', 'add', USER, '--password', PASSWORD);
  const bytes = await seed(server);
  await server.start();
  if (dovecot) {
    seedMaildir(dovecot);
    await dovecot.start();
  }
  const cold = runClient(server.ports.pop3);
  if (dovecot) runClient(dovecot.pop3Port);
  // The machine is shared: sessions alternate between the servers, and each reports the median of five.
  const ours: Run[] = [];
  const theirs: Run[] = [];
  for (let i = 0; i < 5; i++) {
    ours.push(runClient(server.ports.pop3));
    if (dovecot) theirs.push(runClient(dovecot.pop3Port));
  }
  const m = median(ours);
  const d = theirs.length > 0 ? median(theirs) : null;
  console.log(
    `pop3-retr: ${m.messages} RETRs of ~${(bytes / count / 1024).toFixed(1)} KB with poplib: ${mibps(m).toFixed(1)} MiB/s ` +
      `(${m.retr_s.toFixed(3)} s, median of 5, range ${Math.min(...ours.map(mibps)).toFixed(1)}-${Math.max(...ours.map(mibps)).toFixed(1)}); ` +
      (d
        ? `Dovecot in the same run ${mibps(d).toFixed(1)} MiB/s (range ${Math.min(...theirs.map(mibps)).toFixed(1)}-${Math.max(...theirs.map(mibps)).toFixed(1)}), ratio ${(mibps(m) / mibps(d)).toFixed(2)}; `
        : 'Dovecot not installed; ') +
      `login+STAT ${m.login_s.toFixed(3)} s; first session after start: ${mibps(cold).toFixed(1)} MiB/s, login+STAT ${cold.login_s.toFixed(3)} s`,
  );
} finally {
  await dovecot?.destroy();
  await server.destroy();
}
