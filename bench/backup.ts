// Backup throughput: a store of N messages (default 100,000, seeded straight into the store) backed up online with
// `mailhive backup create`, restored into a fresh store with `backup restore`, and an incremental backup after 1,000
// more messages delivered over SMTP; next to a plain `cp -r` of the data directory measured in the same run (the
// disk's sequential copy speed). Prints one summary line.
// Run: npm run build && node dist/bench/backup.js [messages]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { seedMailbox } from './imap-seed.js';
import { createTransport } from 'nodemailer';

const COUNT = Number(process.argv[2] ?? 100_000);
const NEW_MESSAGES = 1000;
const MIB = 1024 * 1024;

/** A message of 2-10 KiB of text, different for each i (so every blob is its own). */
function message(i: number): Buffer {
  const line = `Line of message ${i}: the quick brown fox jumps over the lazy dog ${(i * 7919) % 100_003}.\r\n`;
  return Buffer.from(
    `From: <sender${i % 97}@outside.example>\r\nTo: <bench@bench.example>\r\nSubject: backup bench ${i}\r\n` +
      `Message-ID: <bench-${i}@bench.example>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n${line.repeat(20 + (i % 100))}`,
  );
}

function duBytes(path: string): number {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

async function cli(server: MailhiveProcess, ...args: string[]): Promise<string> {
  const result = await server.cli(...args);
  if (result.code !== 0) throw new Error(`mailhive ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const server = await MailhiveProcess.create();
const restored = await MailhiveProcess.create();
const work = mkdtempSync(join(tmpdir(), 'mailhive-bench-backup-'));
try {
  await cli(server, 'domain', 'add', 'bench.example');
  await cli(server, 'user', 'add', 'bench@bench.example', '--password', 'bench-password');
  await seedMailbox(server.env, { address: 'bench@bench.example', mailbox: 'INBOX', count: COUNT, message, seen: (i) => i % 3 !== 0 });
  await server.start();
  const blobBytes = duBytes(join(server.dataDir, 'blobs'));
  // Flush what the seeding left in the page cache's dirty pages, so each measurement starts alike.
  execFileSync('sync');
  const [, copySeconds] = await timed(async () => execFileSync('cp', ['-r', server.dataDir, join(work, 'copy')]));
  execFileSync('sync');
  const copied = duBytes(join(work, 'copy'));
  const backups = join(work, 'backups');
  const [fullOut, fullSeconds] = await timed(() => cli(server, 'backup', 'create', '--to', backups));
  const fullId = fullOut.trim().split('\n').at(-1)!;
  // The backup's own time, without the CLI's start-up (loading the application, opening the store).
  const fullInner = Number(/written in ([\d.]+) s/.exec(fullOut)?.[1] ?? fullSeconds);
  const transport = createTransport({
    host: '127.0.0.1',
    port: server.ports.smtp,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 4,
  });
  await Promise.all(
    Array.from({ length: NEW_MESSAGES }, (_, i) =>
      transport.sendMail({
        envelope: { from: 'sender@outside.example', to: ['bench@bench.example'] },
        raw: message(COUNT + i),
      }),
    ),
  );
  transport.close();
  const [, incrementalSeconds] = await timed(() => cli(server, 'backup', 'create', '--incremental', '--to', backups));
  const [, restoreSeconds] = await timed(() => cli(restored, 'backup', 'restore', fullId, '--from', backups));
  const stored = duBytes(join(backups, fullId));
  const manifest = JSON.parse(readFileSync(join(backups, fullId, 'manifest.json'), 'utf8')) as { blobs: { bytes: number } };
  const rate = (bytes: number, seconds: number) => (bytes / MIB / seconds).toFixed(1);
  console.log(
    [
      `backup ${COUNT} msgs (${(manifest.blobs.bytes / MIB).toFixed(0)} MiB mail, ${(blobBytes / MIB).toFixed(0)} MiB blob dir):`,
      `cp -r ${rate(copied, copySeconds)} MiB/s;`,
      `full ${fullSeconds.toFixed(1)} s = ${rate(manifest.blobs.bytes, fullSeconds)} MiB/s, ${(COUNT / fullSeconds).toFixed(0)} msg/s` +
        ` (backup itself ${fullInner.toFixed(1)} s = ${rate(manifest.blobs.bytes, fullInner)} MiB/s), ${(stored / MIB).toFixed(0)} MiB stored;`,
      `restore ${restoreSeconds.toFixed(1)} s = ${rate(manifest.blobs.bytes, restoreSeconds)} MiB/s, ${(COUNT / restoreSeconds).toFixed(0)} msg/s;`,
      `incremental after ${NEW_MESSAGES} new: ${incrementalSeconds.toFixed(1)} s`,
    ].join(' '),
  );
} finally {
  await server.destroy();
  await restored.destroy();
  rmSync(work, { recursive: true, force: true });
}
