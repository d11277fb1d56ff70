// POP3 RETR throughput: one session RETRs 5,000 messages of ~4.7 KB with Python's poplib (Dovecot: ~0.9 s on this
// machine), against the built server on a fresh store. Prints one summary line.
// Run: npm run build && node dist/bench/pop3-retr.js [messages=5000]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const server = await MailhiveProcess.create();
try {
  await server.cli('domain', 'add', 'pop3.example');
  await server.cli('user', 'add', USER, '--password', PASSWORD);
  const bytes = await seed(server);
  await server.start();
  const script = clientScript();
  const run = (): Run =>
    JSON.parse(execFileSync('python3', [script, '127.0.0.1', String(server.ports.pop3), USER, PASSWORD], { encoding: 'utf8' })) as Run;
  const cold = run();
  // The machine is shared: report the median of three warm sessions, and the best and worst.
  const warm = [run(), run(), run()].sort((a, b) => a.retr_s - b.retr_s);
  const median = warm[1];
  console.log(
    `pop3-retr: ${median.messages} RETRs of ~${(bytes / count / 1024).toFixed(1)} KB with poplib in ${median.retr_s.toFixed(3)} s ` +
      `(median of 3; ${Math.round(median.messages / median.retr_s)}/s, ${(median.octets / median.retr_s / 1048576).toFixed(1)} MB/s; ` +
      `range ${warm[0].retr_s.toFixed(3)}-${warm[2].retr_s.toFixed(3)} s); login+STAT ${median.login_s.toFixed(3)} s; ` +
      `first session after start: RETR ${cold.retr_s.toFixed(3)} s, login+STAT ${cold.login_s.toFixed(3)} s (sizes read from the blobs)`,
  );
} finally {
  await server.destroy();
}
