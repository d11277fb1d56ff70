import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILHIVE_BIN, MailhiveProcess } from '../support/mailhive-process.js';
import { deliver, imapLogin, imapView, PASSWORD, rawMail, type MailboxView } from './backup-helpers.js';
import { until } from '../support/poll.js';

const ANN = 'ann@backup.test';
const BOB = 'bob@backup.test';
/** Messages the sender delivers while the first backup runs. */
/** A bound on the mail sent while the backup runs. */
const MAX_MESSAGES = 20_000;
const GBK_BODY = Buffer.from('c4e3bac3a3accac0bde70d0a', 'hex');

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)!;
}

/** A fresh server restored from a backup, then started. */
async function restoredServer(backups: string, id: string, extra: string[] = []): Promise<MailhiveProcess> {
  const server = await MailhiveProcess.create();
  const result = await server.cli('backup', 'restore', id, '--from', backups, ...extra);
  if (result.code !== 0) throw new Error(`restore failed: ${result.stderr}`);
  await server.start();
  return server;
}

// Each step starts a CLI process or a server: give the whole file time.
describe('backup and restore of a running server', { timeout: 240_000 }, () => {
  let original: MailhiveProcess;
  const others: MailhiveProcess[] = [];
  let backups: string;
  const ids: string[] = [];
  /** The bytes of every INBOX message of ann by UID, as delivered (before later changes). */
  const delivered = new Map<number, string>();

  beforeAll(async () => {
    backups = mkdtempSync(join(tmpdir(), 'mailhive-backups-'));
    original = await MailhiveProcess.create();
    await original.start();
    expect((await original.cli('domain', 'add', 'backup.test')).code).toBe(0);
    expect((await original.cli('user', 'add', ANN, '--password', PASSWORD, '--quota', '1G')).code).toBe(0);
    expect((await original.cli('user', 'add', BOB, '--password', PASSWORD)).code).toBe(0);
    expect((await original.cli('alias', 'add', 'team@backup.test', ANN, BOB)).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const server of [original, ...others]) await server?.destroy();
    rmSync(backups, { recursive: true, force: true });
  });

  it('takes a full backup while mail arrives: each message wholly in or out, and the restore shows a consistent prefix', async () => {
    const client = await imapLogin(original, ANN);
    await client.mailboxCreate('Projects/2026');
    await client.logout();
    // Mail goes on arriving until the backup has finished and some more after it, however long the backup takes.
    let backupDone = false;
    let sentAtBackupEnd = 0;
    function* mails(): Generator<Buffer> {
      for (let index = 0; index < MAX_MESSAGES && !(backupDone && index >= sentAtBackupEnd + 20); index++)
        yield rawMail(index, ANN, index % 50 === 7 ? GBK_BODY : undefined);
    }
    let sent = 0;
    const sending = deliver(original, ANN, mails(), (count) => {
      sent = count;
    });
    await until('the first deliveries', () => (sent >= 30 ? true : null));
    const created = await original.cli('backup', 'create', '--to', backups);
    sentAtBackupEnd = sent;
    backupDone = true;
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const total = await sending;
    ids.push(lastLine(created.stdout));
    expect(ids[0]).toMatch(/^\d{8}T\d{9}Z-full-[0-9a-f]{4}$/);
    // Delivery ran on during the backup: the backup caught it in the middle.
    expect(sentAtBackupEnd).toBeLessThan(total);

    for (const message of (await imapView(original, ANN)).find((view) => view.path === 'INBOX')!.messages)
      delivered.set(message.uid, message.source);
    expect(delivered.size).toBe(total);

    const restored = await restoredServer(backups, ids[0]!);
    others.push(restored);
    const inbox = (await imapView(restored, ANN)).find((view) => view.path === 'INBOX')!;
    const originalInbox = (await imapView(original, ANN)).find((view) => view.path === 'INBOX')!;
    const count = inbox.messages.length;
    expect(count).toBeGreaterThanOrEqual(30);
    expect(count).toBeLessThan(total);
    expect(inbox.uidValidity).toBe(originalInbox.uidValidity);
    // Consistent: UIDs 1..n with no gap, UIDNEXT right after them, and every message's bytes as delivered.
    expect(inbox.messages.map((message) => message.uid)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    expect(inbox.uidNext).toBe(count + 1);
    for (const message of inbox.messages) expect(message.source).toBe(delivered.get(message.uid));
  });

  it('restores an incremental chain of three to the same IMAP view: UIDVALIDITY, UIDs, flags, MODSEQ and bytes', async () => {
    const client = await imapLogin(original, ANN);
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('1:20', ['\\Seen'], { uid: true });
    await client.messageFlagsAdd('5:9', ['$Important', '\\Flagged'], { uid: true });
    await client.messageMove('21:30', 'Projects/2026', { uid: true });
    await client.messageDelete('31:35', { uid: true });
    await client.logout();
    const second = await original.cli('backup', 'create', '--incremental', '--to', backups);
    expect(second.code).toBe(0);
    ids.push(lastLine(second.stdout));
    expect(ids[1]).toContain('-incr-');

    await deliver(
      original,
      BOB,
      Array.from({ length: 10 }, (_, index) => rawMail(1000 + index, BOB)),
    );
    const bob = await imapLogin(original, BOB);
    await bob.mailboxOpen('INBOX');
    await bob.messageFlagsAdd('2', ['\\Answered'], { uid: true });
    await bob.logout();
    expect((await original.cli('user', 'passwd', BOB, '--password', 'another-pass-2')).code).toBe(0);
    expect((await original.cli('user', 'passwd', BOB, '--password', PASSWORD)).code).toBe(0);
    const third = await original.cli('backup', 'create', '--incremental', '--to', backups);
    expect(third.code).toBe(0);
    ids.push(lastLine(third.stdout));

    const list = await original.cli('backup', 'list', '--from', backups);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(ids);
    expect(list.stdout.split('\n')[2]).toContain(`\tincremental\t${ids[1]}\t`);
    const verify = await original.cli('backup', 'verify', ids[2]!, '--from', backups);
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.stdout).toContain('a chain of 3 backup(s)');

    const restored = await restoredServer(backups, ids[2]!);
    others.push(restored);
    for (const user of [ANN, BOB]) {
      const expected: MailboxView[] = await imapView(original, user);
      expect(await imapView(restored, user)).toEqual(expected);
    }
    // Users, password hashes, aliases and domains came back: the same password logs in, the alias resolves.
    expect((await restored.cli('alias', 'list')).stdout).toBe((await original.cli('alias', 'list')).stdout);
    expect((await restored.cli('user', 'list')).stdout).toBe((await original.cli('user', 'list')).stdout);
    // A full restore refuses a store that is not empty.
    const again = await restored.cli('backup', 'restore', ids[2]!, '--from', backups);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/needs an empty store/);
  });

  it('finds a damaged file and a broken chain', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'mailhive-backups-damaged-'));
    try {
      cpSync(backups, copy, { recursive: true });
      const file = join(copy, ids[1]!, 'tables', 'messages.ndjson.gz');
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      writeFileSync(file, bytes);
      const damaged = await original.cli('backup', 'verify', ids[2]!, '--from', copy);
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toContain(`problem: ${ids[1]}: tables/messages.ndjson.gz does not match its SHA-256`);
      const fresh = await MailhiveProcess.create();
      others.push(fresh);
      const refused = await fresh.cli('backup', 'restore', ids[2]!, '--from', copy);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is damaged/);
      rmSync(join(copy, ids[0]!), { recursive: true });
      const broken = await original.cli('backup', 'verify', ids[2]!, '--from', copy);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`its ancestor ${ids[0]} is missing`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('encrypts with a key file and refuses a wrong key', async () => {
    const where = mkdtempSync(join(tmpdir(), 'mailhive-backups-encrypted-'));
    try {
      const keyFile = join(where, 'backup.key');
      const wrongKeyFile = join(where, 'wrong.key');
      writeFileSync(keyFile, 'a-long-backup-key-of-the-operator\n');
      writeFileSync(wrongKeyFile, 'not-the-backup-key-of-the-operator\n');
      const target = join(where, 'backups');
      const created = await original.cli('backup', 'create', '--to', target, '--key-file', keyFile);
      expect(created.code).toBe(0);
      const id = lastLine(created.stdout);
      expect(readdirSync(join(target, id, 'tables')).length).toBeGreaterThan(0);
      // The mail is not readable in the stored files.
      const pack = readFileSync(join(target, id, 'blobs', 'pack-00001.bin.gz'));
      expect(pack.includes(Buffer.from([0x1f, 0x8b]), 0) && pack.indexOf(Buffer.from([0x1f, 0x8b])) === 0).toBe(false);
      expect((await original.cli('backup', 'verify', id, '--from', target, '--key-file', wrongKeyFile)).stdout).toMatch(
        /does not open this backup/,
      );
      const fresh = await MailhiveProcess.create();
      others.push(fresh);
      const wrong = await fresh.cli('backup', 'restore', id, '--from', target, '--key-file', wrongKeyFile);
      expect(wrong).toMatchObject({ code: 1, stderr: 'mailhive: the key or passphrase does not open this backup\n' });
      const none = await fresh.cli('backup', 'restore', id, '--from', target);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/is encrypted/);
      expect((await fresh.cli('backup', 'restore', id, '--from', target, '--key-file', keyFile)).code).toBe(0);
      await fresh.start();
      expect(await imapView(fresh, BOB)).toEqual(await imapView(original, BOB));
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  });

  it('leaves no complete backup when the backup process is killed', async () => {
    const target = mkdtempSync(join(tmpdir(), 'mailhive-backups-killed-'));
    try {
      const child = spawn(process.execPath, [MAILHIVE_BIN, 'backup', 'create', '--to', target], {
        env: { ...process.env, ...original.env },
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await until(
        'the backup to start writing',
        () => (readdirSync(target).some((name) => name.endsWith('.partial')) ? true : null),
        60_000,
      );
      child.kill('SIGKILL');
      await exited;
      expect(child.signalCode).toBe('SIGKILL');
      expect(readdirSync(target).filter((name) => !name.startsWith('.'))).toEqual([]);
      expect((await original.cli('backup', 'list', '--from', target)).stdout).toBe('');
      // An incremental needs a complete parent: the killed one is none.
      const incremental = await original.cli('backup', 'create', '--incremental', '--to', target);
      expect(incremental.code).toBe(1);
      expect(incremental.stderr).toMatch(/make a full one first/);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('prunes beyond retention, keeping what a kept backup needs', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'mailhive-backups-prune-'));
    try {
      cpSync(backups, copy, { recursive: true });
      const kept = await original.cli('backup', 'prune', '--from', copy, '--keep-full', '1', '--keep-days', '0');
      expect(kept).toMatchObject({ code: 0, stdout: '0 backup(s) removed\n' });
      const newer = await original.cli('backup', 'create', '--to', copy);
      const pruned = await original.cli('backup', 'prune', '--from', copy, '--keep-full', '1', '--keep-days', '0');
      expect(pruned.stdout).toBe(`${ids.map((id) => `removed ${id}\n`).join('')}3 backup(s) removed\n`);
      expect(existsSync(join(copy, lastLine(newer.stdout), 'manifest.json'))).toBe(true);
      expect((await original.cli('backup', 'prune', '--from', copy, '--keep-full', '0', '--keep-days', '0')).code).toBe(2);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
