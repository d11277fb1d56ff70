// Benchmark: one POP3 session RETRs 5,000 messages of ~4.7 KB with Python's poplib (Dovecot: ~0.9 s here).
// usage: npm run build && node bench/pop3-retr.mjs [count]      Prints one summary line.
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => import(join(ROOT, 'dist', 'core', path));
const { loadConfig } = await dist('config/config.loader.js');
const { openCoreResources, closeCoreResources } = await dist('app/core-resources.js');
const { CoreModule } = await dist('core.module.js');
const { createLogger } = await dist('logging/logger.js');
const { AccountsService } = await dist('accounts/accounts.service.js');
const { MailboxService } = await dist('mail/mailbox.service.js');
const { MessageService } = await dist('mail/message.service.js');

const COUNT = Number(process.argv[2] ?? 5000);
const USER = 'bench@pop3.example';
const PASSWORD = 'bench password';

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** ~4.7 KB of plausible mail: headers and 50 lines of text, different in every message. */
function message(i) {
  const words = ['meeting', 'quarterly', 'report', 'attached', 'please', 'review', 'numbers', 'budget', 'team', 'update'];
  const lines = Array.from({ length: 50 }, (_, n) => Array.from({ length: 11 }, (_, w) => words[(i * 7 + n * 3 + w) % words.length]).join(' ') + ` ${i}.${n}`);
  return Buffer.from([
    `From: Sender ${i} <sender${i}@example.org>`, `To: ${USER}`, `Subject: Benchmark message ${i}`,
    `Date: Sun, 29 Nov 2026 12:00:00 +0000`, `Message-ID: <bench-${i}@example.org>`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', ...lines, '',
  ].join('\r\n'));
}

const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-bench-'));
const [pop3, http] = [await freePort(), await freePort()];
const env = {
  ...process.env, MAILHIVE_DATA_DIR: dataDir, MAILHIVE_BIND: '127.0.0.1', MAILHIVE_LOG_LEVEL: 'warn',
  MAILHIVE_POP3_PORT: String(pop3), MAILHIVE_HTTP_PORT: String(http), MAILHIVE_POP3S_PORT: 'off',
  MAILHIVE_SMTP_PORT: 'off', MAILHIVE_SUBMISSION_PORT: 'off', MAILHIVE_SMTPS_PORT: 'off', MAILHIVE_IMAP_PORT: 'off', MAILHIVE_IMAPS_PORT: 'off',
};
const cli = (...args) => execFileSync(process.execPath, [join(ROOT, 'bin', 'mailhive.js'), ...args], { env, stdio: 'pipe' });
cli('domain', 'add', 'pop3.example');
cli('user', 'add', USER, '--password', PASSWORD);

// Seed through the mail services (as the CLI would), before the server starts.
const config = loadConfig({ ...env, MAILHIVE_LOG_LEVEL: 'silent' });
const resources = await openCoreResources(config, createLogger('silent'), { plugins: false });
const context = await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false });
const account = await context.get(AccountsService).getUser(USER);
const inbox = await context.get(MailboxService).get(account.id, 'INBOX');
const messages = context.get(MessageService);
let seeded = 0;
let bytes = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (seeded < COUNT) {
    const raw = message(seeded++);
    bytes += raw.length;
    await messages.append({ accountId: account.id, mailboxId: inbox.id }, raw);
  }
}));
await context.close();
await closeCoreResources(resources);

const child = spawn(process.execPath, [join(ROOT, 'bin', 'mailhive.js'), 'start'], { env, stdio: 'inherit' });
try {
  for (let ready = false; !ready;) {
    ready = await fetch(`http://127.0.0.1:${http}/healthz`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const run = () => JSON.parse(execFileSync('python3', [join(ROOT, 'bench', 'pop3-retr.py'), '127.0.0.1', String(pop3), USER, PASSWORD], { encoding: 'utf8' }));
  const cold = run();
  // The machine is shared: report the median of three warm sessions, and the best and worst.
  const warm = [run(), run(), run()].sort((a, b) => a.retr_s - b.retr_s);
  const median = warm[1];
  console.log(`pop3-retr: ${median.messages} RETRs of ~${(bytes / COUNT / 1024).toFixed(1)} KB with poplib in ${median.retr_s.toFixed(3)} s `
    + `(median of 3; ${Math.round(median.messages / median.retr_s)}/s, ${(median.octets / median.retr_s / 1048576).toFixed(1)} MB/s; `
    + `range ${warm[0].retr_s.toFixed(3)}-${warm[2].retr_s.toFixed(3)} s); login+STAT ${median.login_s.toFixed(3)} s; `
    + `first session after start: RETR ${cold.retr_s.toFixed(3)} s, login+STAT ${cold.login_s.toFixed(3)} s (sizes read from the blobs)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
