import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { deliver, imapLogin, imapView, PASSWORD, rawMail, type MailboxView } from './backup-helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eml');
const ANN = 'ann@export.test';

/** Each folder's messages in UID order: bytes and flags (\Recent is per session, not part of the mail). */
function content(views: MailboxView[]) {
  return views.map((view) => ({
    path: view.path,
    messages: view.messages.map((message) => ({ source: message.source, flags: message.flags.filter((flag) => flag !== '\\Recent') })),
  }));
}

describe("export and import of a user's mail", { timeout: 180_000 }, () => {
  let server: MailhiveProcess;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'mailhive-export-'));
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'export.test')).code).toBe(0);
    for (const user of [ANN, 'bob@export.test', 'carol@export.test', 'dan@export.test']) {
      expect((await server.cli('user', 'add', user, '--password', PASSWORD)).code).toBe(0);
    }
    const fixtures = ['gbk.eml', 'iso-2022-jp.eml', 'mixed-attachments.eml', 'nested-rfc822.eml'].map((name) =>
      readFileSync(join(FIXTURES, name)),
    );
    const fromLines = Buffer.from('Subject: quoting\r\nMessage-ID: <quoting@export.test>\r\n\r\nFrom here on\r\n>From there\r\n');
    await deliver(server, ANN, [...fixtures, fromLines, ...Array.from({ length: 20 }, (_, index) => rawMail(index, ANN))]);
    const client = await imapLogin(server, ANN);
    await client.mailboxCreate('Projects/2026');
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('1:3', ['\\Seen', '$Work'], { uid: true });
    await client.messageFlagsAdd('4', ['\\Answered', '\\Flagged', '\\Draft'], { uid: true });
    await client.messageMove('10:15', 'Projects/2026', { uid: true });
    await client.messageFlagsAdd('1:*', ['\\Seen'], { uid: true });
    await client.mailboxOpen('Projects/2026');
    await client.messageFlagsAdd('1:2', ['$Later'], { uid: true });
    await client.logout();
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
    rmSync(out, { recursive: true, force: true });
  });

  it.each([
    ['mbox', 'bob@export.test'],
    ['maildir', 'carol@export.test'],
  ])('round-trips every folder as %s byte for byte with flags and keywords', async (format, user) => {
    const path = join(out, format);
    const exported = await server.cli('export', '--user', ANN, '--format', format, '--out', path);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toMatch(/^exported 25 message\(s\) of \d+ folder\(s\)/);
    const imported = await server.cli('import', '--user', user, '--format', format, '--in', path);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toMatch(/^imported 25 message\(s\)/);
    const original = content(await imapView(server, ANN));
    expect(content(await imapView(server, user)).filter((view) => view.messages.length > 0)).toEqual(
      original.filter((view) => view.messages.length > 0),
    );
    // A second import skips what is there already (by Message-ID and content).
    const again = await server.cli('import', '--user', user, '--format', format, '--in', path, '--skip-duplicates');
    expect(again.stdout).toMatch(/^imported 0 message\(s\) into \d+ folder\(s\), 25 duplicate\(s\) skipped/);
  });

  it('writes one folder as .eml files and imports them into a named folder', async () => {
    const path = join(out, 'eml');
    expect((await server.cli('export', '--user', ANN, '--mailbox', 'Projects/2026', '--format', 'eml', '--out', path)).code).toBe(0);
    expect(readdirSync(path).sort()).toEqual(['1.eml', '2.eml', '3.eml', '4.eml', '5.eml', '6.eml']);
    expect((await server.cli('import', '--user', 'dan@export.test', '--mailbox', 'Archive', '--format', 'eml', '--in', path)).code).toBe(0);
    const source = (await imapView(server, ANN)).find((view) => view.path === 'Projects/2026')!;
    const target = (await imapView(server, 'dan@export.test')).find((view) => view.path === 'Archive')!;
    expect(target.messages.map((message) => message.source)).toEqual(source.messages.map((message) => message.source));
  });

  it('refuses unknown users and formats', async () => {
    expect(await server.cli('export', '--user', 'nobody@export.test', '--format', 'mbox', '--out', join(out, 'x'))).toMatchObject({
      code: 1,
      stderr: 'mailhive: user nobody@export.test does not exist\n',
    });
    expect((await server.cli('export', '--user', ANN, '--format', 'pst', '--out', join(out, 'x'))).code).toBe(2);
  });
});
