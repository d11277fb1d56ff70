import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { deliver, imapLogin, PASSWORD, rawMail } from './backup-helpers.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';

const ROOT = 'root@gql-backup.test';
const ANN = 'ann@gql-backup.test';
const JOB_FIELDS = 'id kind state backupId items result startedBy';

describe('backup jobs over GraphQL', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  let backups: string;
  let gql: ReturnType<typeof graphqlClient>;
  let root: string;
  let watcher: ImapFlow;

  const waitForJob = async (id: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const result = await gql(`query($id: ID!) { backupJob(id: $id) { ${JOB_FIELDS} } }`, { id }, root);
      const job = result.data?.backupJob as { state: string; result: string; backupId: string } | undefined;
      if (job && job.state !== 'running') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still running: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    backups = mkdtempSync(join(tmpdir(), 'mailhive-gql-backups-'));
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'gql-backup.test')).code).toBe(0);
    expect((await server.cli('user', 'add', ROOT, '--password', PASSWORD, '--admin')).code).toBe(0);
    expect(
      (
        await server.cli(
          'user',
          'add',
          'dadmin@gql-backup.test',
          '--password',
          PASSWORD,
          '--role',
          'domain-admin',
          '--domains',
          'gql-backup.test',
        )
      ).code,
    ).toBe(0);
    expect((await server.cli('user', 'add', ANN, '--password', PASSWORD)).code).toBe(0);
    await deliver(
      server,
      ANN,
      Array.from({ length: 5 }, (_, index) => rawMail(index, ANN)),
    );
    gql = graphqlClient(server);
    root = await login(server, ROOT, PASSWORD);
    watcher = await imapLogin(server, ANN);
    await watcher.mailboxOpen('INBOX');
  }, 180_000);

  afterAll(async () => {
    await watcher?.logout().catch(() => undefined);
    await server?.destroy();
    rmSync(backups, { recursive: true, force: true });
  });

  it('runs a backup job with progress and lists the backup', async () => {
    const started = await gql(`mutation($l: String!) { startBackup(location: $l) { ${JOB_FIELDS} } }`, { l: backups }, root);
    expect(started.errors).toBeUndefined();
    expect(started.data!.startBackup).toMatchObject({ kind: 'backup', startedBy: ROOT });
    const job = await waitForJob(started.data!.startBackup.id);
    expect(job).toMatchObject({ state: 'succeeded' });
    expect(job.backupId).toMatch(/-full-/);
    const listed = await gql('query($l: String!) { backups(location: $l) { id kind messages encrypted } }', { l: backups }, root);
    expect(listed.data!.backups).toEqual([{ id: job.backupId, kind: 'full', messages: 5, encrypted: false }]);
    const verify = await gql(
      `mutation($l: String!, $b: String!) { startBackupVerify(location: $l, backupId: $b) { ${JOB_FIELDS} } }`,
      { l: backups, b: job.backupId },
      root,
    );
    expect(await waitForJob(verify.data!.startBackupVerify.id)).toMatchObject({ state: 'succeeded' });
  });

  it('restores a deleted message while a client is connected, and the client is told at once', async () => {
    const [{ id: backupId }] = (await gql('query($l: String!) { backups(location: $l) { id } }', { l: backups }, root)).data!.backups as {
      id: string;
    }[];
    await watcher.messageDelete('2', { uid: true });
    const exists = new Promise<number>((resolve) => watcher.once('exists', (update: { count: number }) => resolve(update.count)));
    const started = await gql(
      `mutation($i: SelectiveRestoreInput!) { startSelectiveRestore(input: $i) { ${JOB_FIELDS} } }`,
      {
        i: { location: backups, backupId, user: ANN, mailbox: 'INBOX', uid: 2 },
      },
      root,
    );
    expect(started.errors).toBeUndefined();
    expect(await waitForJob(started.data!.startSelectiveRestore.id)).toMatchObject({ state: 'succeeded', result: 'INBOX -> INBOX: 1' });
    // The server's own event bus carries the append to the selected session (a NOOP collects it).
    const deadline = Date.now() + 10_000;
    let count: number | null = null;
    void exists.then((value) => {
      count = value;
    });
    while (count === null && Date.now() < deadline) {
      await watcher.noop();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(count).toBe(5);
  });

  it('is for system admins only, and audited', async () => {
    const domainAdmin = await login(server, 'dadmin@gql-backup.test', PASSWORD);
    expect(errorCode(await gql('mutation($l: String!) { startBackup(location: $l) { id } }', { l: backups }, domainAdmin))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gql('query($l: String!) { backups(location: $l) { id } }', { l: backups }, domainAdmin))).toBe('FORBIDDEN');
    const user = await login(server, ANN, PASSWORD);
    expect(errorCode(await gql('{ backupJobs { id } }', {}, user))).toBe('FORBIDDEN');
    const audit = await gql('{ auditLog(limit: 50) { entries { action actor } } }', {}, root);
    const actions = (audit.data!.auditLog.entries as { action: string; actor: string }[]).filter((entry) =>
      entry.action.startsWith('backup.'),
    );
    expect(actions.map((entry) => entry.action).sort()).toEqual([
      'backup.backup.start',
      'backup.backup.succeeded',
      'backup.restore.start',
      'backup.restore.succeeded',
      'backup.verify.start',
      'backup.verify.succeeded',
    ]);
    expect(new Set(actions.map((entry) => entry.actor))).toEqual(new Set([ROOT]));
  });
});
