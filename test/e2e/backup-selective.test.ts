import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { deliver, imapLogin, imapView, PASSWORD, rawMail, type MailboxView } from './backup-helpers.js';

const ANN = 'ann@selective.test';
const BOB = 'bob@selective.test';
const TODAY = new Date().toISOString().slice(0, 10);

/** A folder's messages as bytes and flags, in UID order (\Recent left out: it belongs to a session). */
function mail(view: MailboxView | undefined) {
  return (view?.messages ?? []).map((message) => ({ source: message.source, flags: message.flags.filter((flag) => flag !== '\\Recent') }));
}

describe('selective restore into the running server', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let backups: string;
  let id: string;
  let before: MailboxView[];
  let watcher: ImapFlow;

  beforeAll(async () => {
    backups = mkdtempSync(join(tmpdir(), 'mailhive-selective-'));
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'selective.test')).code).toBe(0);
    expect((await server.cli('user', 'add', ANN, '--password', PASSWORD)).code).toBe(0);
    expect((await server.cli('user', 'add', BOB, '--password', PASSWORD)).code).toBe(0);
    await deliver(
      server,
      ANN,
      Array.from({ length: 10 }, (_, index) => rawMail(index, ANN)),
    );
    const client = await imapLogin(server, ANN);
    await client.mailboxCreate('Projects/2026');
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('3', ['\\Seen', '\\Flagged', '$Client'], { uid: true });
    await client.messageMove('8:10', 'Projects/2026', { uid: true });
    await client.mailboxOpen('Projects/2026');
    await client.messageFlagsAdd('1', ['\\Answered'], { uid: true });
    await client.logout();
    before = await imapView(server, ANN);
    const created = await server.cli('backup', 'create', '--to', backups);
    expect(created.code).toBe(0);
    id = created.stdout.trim().split('\n').at(-1)!;
    // A client stays connected with INBOX selected through every restore.
    watcher = await imapLogin(server, ANN);
    await watcher.mailboxOpen('INBOX');
  }, 180_000);

  afterAll(async () => {
    await watcher?.logout().catch(() => undefined);
    await server?.destroy();
    rmSync(backups, { recursive: true, force: true });
  });

  it('brings one deleted message back by UID into its folder, beside a connected client', async () => {
    await watcher.messageDelete('3', { uid: true });
    const restored = await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--mailbox', 'INBOX', '--uid', '3');
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toBe(`INBOX -> INBOX: 1 message(s)\nrestored 1 message(s) of ${ANN} from backup ${id}\n`);
    const original = before.find((view) => view.path === 'INBOX')!.messages.find((message) => message.uid === 3)!;
    // A CLI process has its own event bus: the session that stayed selected sees the message once it selects again.
    await watcher.mailboxOpen('INBOX');
    let seen: { source: string; flags: string[] } | undefined;
    for await (const message of watcher.fetch('1:*', { uid: true, flags: true, source: true })) {
      if (message.uid > 10)
        seen = {
          source: message.source!.toString('base64'),
          flags: [...(message.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
        };
    }
    expect(seen).toEqual({ source: original.source, flags: original.flags.filter((flag) => flag !== '\\Recent') });
  });

  it('puts a message that is there already under Restored/<date>, found by Message-ID', async () => {
    const raw = Buffer.from(before.find((view) => view.path === 'INBOX')!.messages[0]!.source, 'base64').toString('latin1');
    const messageId = /^Message-ID: (.*)$/im.exec(raw)![1]!.trim();
    const restored = await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--message-id', messageId);
    expect(restored.stdout).toContain(`INBOX -> Restored/${TODAY}/INBOX: 1 message(s)`);
    const view = (await imapView(server, ANN)).find((folder) => folder.path === `Restored/${TODAY}/INBOX`);
    expect(mail(view).map((message) => message.source)).toEqual([before.find((folder) => folder.path === 'INBOX')!.messages[0]!.source]);
  });

  it('restores a deleted folder under its own name, and again beside it', async () => {
    const client = await imapLogin(server, ANN);
    await client.mailboxDelete('Projects/2026');
    await client.logout();
    const first = await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--mailbox', 'Projects/2026');
    expect(first.stdout).toContain('Projects/2026 -> Projects/2026: 3 message(s)');
    const expected = mail(before.find((view) => view.path === 'Projects/2026'));
    expect(expected).toHaveLength(3);
    expect(mail((await imapView(server, ANN)).find((view) => view.path === 'Projects/2026'))).toEqual(expected);
    const second = await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--mailbox', 'Projects/2026');
    expect(second.stdout).toContain(`Projects/2026 -> Restored/${TODAY}/Projects/2026: 3 message(s)`);
    expect(mail((await imapView(server, ANN)).find((view) => view.path === `Restored/${TODAY}/Projects/2026`))).toEqual(expected);
  });

  it("restores a user's mail into another user", async () => {
    const restored = await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--into', BOB);
    expect(restored.code).toBe(0);
    const bob = await imapView(server, BOB);
    for (const path of ['INBOX', 'Projects/2026'])
      expect(mail(bob.find((view) => view.path === path))).toEqual(mail(before.find((view) => view.path === path)));
  });

  it('refuses what the backup does not hold', async () => {
    expect((await server.cli('backup', 'restore', id, '--from', backups, '--user', 'nobody@selective.test')).stderr).toBe(
      'mailhive: user nobody@selective.test does not exist\n',
    );
    expect(
      (await server.cli('backup', 'restore', id, '--from', backups, '--user', ANN, '--mailbox', 'INBOX', '--uid', '99')).stderr,
    ).toMatch(/has no such message/);
    expect((await server.cli('backup', 'restore', id, '--from', backups, '--uid', '3')).code).toBe(2);
  });
});
