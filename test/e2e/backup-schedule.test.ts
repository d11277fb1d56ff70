import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { eventually } from '../support/poll.js';
import { TEST_DB } from '../support/test-database.js';
import { deliver, PASSWORD, rawMail } from './backup-helpers.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';

const ROOT = 'root@sched-backup.test';
const DADMIN = 'dadmin@sched-backup.test';
const ANN = 'ann@sched-backup.test';
const SCHEDULE_FIELDS = 'enabled fullCron incrementalCron location keepFull keepDays nextRuns';
const JOB_FIELDS = 'id kind state backupId result startedBy scheduledFor';

interface Job {
  id: string;
  state: string;
  backupId: string | null;
  result: string | null;
  startedBy: string;
  scheduledFor: string | null;
}

/** The complete backups in a location: directories with a manifest, named `<time>-<kind>-<id>`. */
function backupDirs(location: string): string[] {
  return readdirSync(location).filter((name) => !name.endsWith('.partial'));
}

describe('scheduled backups', { timeout: 180_000 }, () => {
  let shared: string;
  let location: string;
  const nodes: MailhiveProcess[] = [];
  let gql: ReturnType<typeof graphqlClient>;
  let root: string;

  const schedule = (input: Record<string, unknown>, token = root) =>
    gql(`mutation($i: BackupScheduleInput!) { setBackupSchedule(input: $i) { ${SCHEDULE_FIELDS} } }`, { i: input }, token);
  const scheduledJobs = async (): Promise<Job[]> => {
    const result = await gql(`{ backupJobs(limit: 500) { ${JOB_FIELDS} } }`, {}, root);
    expect(result.errors).toBeUndefined();
    return (result.data!.backupJobs as Job[]).filter((job) => job.startedBy === 'schedule');
  };

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'mailhive-sched-blobs-'));
    location = mkdtempSync(join(tmpdir(), 'mailhive-sched-backups-'));
    const first = await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: shared });
    nodes.push(first);
    await first.start();
    expect((await first.cli('domain', 'add', 'sched-backup.test')).code).toBe(0);
    expect((await first.cli('user', 'add', ROOT, '--password', PASSWORD, '--admin')).code).toBe(0);
    expect(
      (await first.cli('user', 'add', DADMIN, '--password', PASSWORD, '--role', 'domain-admin', '--domains', 'sched-backup.test')).code,
    ).toBe(0);
    expect((await first.cli('user', 'add', ANN, '--password', PASSWORD)).code).toBe(0);
    await deliver(
      first,
      ANN,
      Array.from({ length: 3 }, (_, index) => rawMail(index, ANN)),
    );
    gql = graphqlClient(first);
    root = await login(first, ROOT, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    rmSync(shared, { recursive: true, force: true });
    rmSync(location, { recursive: true, force: true });
  });

  it('refuses a schedule that could not run, and lets only system admins see or set it', async () => {
    const bad = await schedule({ enabled: true, fullCron: 'every night', location });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toMatch(/not a cron expression/);
    expect(errorCode(await schedule({ enabled: true, fullCron: '0 2 * * *', location: '' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await schedule({ enabled: true, fullCron: '0 2 * * *', location, keepFull: -1 }))).toBe('BAD_USER_INPUT');
    const dadmin = await login(nodes[0]!, DADMIN, PASSWORD);
    expect(errorCode(await schedule({ enabled: true, fullCron: '0 2 * * *', location }, dadmin))).toBe('FORBIDDEN');
    expect(errorCode(await gql(`{ backupSchedule { ${SCHEDULE_FIELDS} } }`, {}, dadmin))).toBe('FORBIDDEN');
    const off = await gql(`{ backupSchedule { ${SCHEDULE_FIELDS} } }`, {}, root);
    expect(off.data!.backupSchedule).toMatchObject({ enabled: false, nextRuns: [] });
    expect(await scheduledJobs()).toEqual([]);
  });

  it('runs full and incremental backups on schedule, once per run on two nodes, and prunes to the retention', async () => {
    const set = await schedule({ enabled: true, fullCron: '*/6 * * * * *', incrementalCron: '*/2 * * * * *', location, keepFull: 1 });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setBackupSchedule.nextRuns).toHaveLength(5);
    if (TEST_DB === 'mariadb') {
      // A second node on the same database and blob store reads the schedule at start and plans the same runs; only
      // one node may take each.
      const second = await MailhiveProcess.create({
        MAILHIVE_DATABASE_URL: nodes[0]!.env.MAILHIVE_DATABASE_URL!,
        MAILHIVE_BLOB_DIR: shared,
      });
      nodes.push(second);
      await second.start();
    }
    const jobs = await eventually(
      scheduledJobs,
      // A run due while no backup is complete yet makes a full one: wait for incrementals as well as fulls.
      (list) =>
        list.filter((job) => job.state === 'succeeded' && /-full-/.test(job.backupId ?? '')).length >= (nodes.length > 1 ? 4 : 2) &&
        list.some((job) => job.state === 'succeeded' && /-incr-/.test(job.backupId ?? '')),
      90_000,
    );
    await schedule({ enabled: false, fullCron: '*/6 * * * * *', incrementalCron: '*/2 * * * * *', location, keepFull: 1 });
    const settled = await eventually(scheduledJobs, (list) => list.every((job) => job.state !== 'running'), 30_000);
    expect(settled.length).toBeGreaterThanOrEqual(jobs.length);
    expect(settled.filter((job) => job.state === 'failed')).toEqual([]);
    // One job per scheduled time, whichever node took it.
    const times = settled.map((job) => job.scheduledFor);
    expect(new Set(times).size).toBe(times.length);
    expect(settled.some((job) => /-incr-/.test(job.backupId ?? ''))).toBe(true);
    // Retention: one full backup and its incrementals are left, plus any chain a run started after the last prune.
    const left = backupDirs(location);
    // Every backup on disk was made by a recorded job: no node ran a run another node had taken.
    const made = new Set(settled.map((job) => job.backupId));
    expect(left.filter((name) => !made.has(name))).toEqual([]);
    expect(left.filter((name) => name.includes('-full-')).length).toBeLessThanOrEqual(2);
    expect(left.length).toBeLessThan(settled.length);
    expect(settled.find((job) => /pruned/.test(job.result ?? ''))).toBeDefined();
    // The schedule is in the backups; the job history (this installation's own work) is not.
    const manifest = JSON.parse(readFileSync(join(location, left.at(-1)!, 'manifest.json'), 'utf8')) as { tables: { name: string }[] };
    const tables = manifest.tables.map((table) => table.name);
    expect(tables).toContain('backup_schedule');
    expect(tables).not.toContain('backup_jobs');
    // Disabled: no more runs.
    const count = (await scheduledJobs()).length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await scheduledJobs()).length).toBe(count);
  });
});
