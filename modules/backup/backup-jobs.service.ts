import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { AuditLogWriter } from '../../core/audit/audit-log.writer.js';
import type { AuditActor } from '../../core/audit/audit-log.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { pruneBackups, verifyBackup } from './backup-catalog.js';
import { readKeyFile } from './backup-crypto.js';
import type { BackupJob, BackupJobKind } from './backup-job.js';
import { BackupJobsRepository } from './backup-jobs.repository.js';
import { BackupService, type BackupEnvironment } from './backup.service.js';
import { BACKUP_ENVIRONMENT } from './backup.tokens.js';
import { SelectiveRestoreService, type SelectiveRestoreOptions } from './selective-restore.service.js';

export type { BackupJob, BackupJobKind, BackupJobState } from './backup-job.js';

/** Jobs kept in the history. The backups themselves are listed from their location. */
const KEPT_JOBS = 500;
/** How often a running job writes its progress and its node's sign of life. */
const HEARTBEAT_MS = 5_000;
/** A running job without a sign of life for this long belongs to a node that died. */
const ABANDONED_MS = 60_000;

/** The actor of scheduled jobs in the history and the audit log. */
const SCHEDULE_ACTOR: AuditActor = { name: 'schedule', role: 'system', clientAddress: '' };

/**
 * Backup, verify, selective-restore and prune jobs: each runs in the server in the background, reports its progress
 * into the job history (shared by every node), and is audited when it starts and when it ends.
 */
@Injectable()
export class BackupJobsService implements OnApplicationBootstrap {
  private readonly backups: BackupService;
  private readonly restores: SelectiveRestoreService;

  constructor(
    @Inject(BACKUP_ENVIRONMENT) environment: BackupEnvironment,
    accounts: AccountsService,
    mailboxes: MailboxService,
    messages: MessageService,
    private readonly audit: AuditLogWriter,
    private readonly history: BackupJobsRepository,
  ) {
    this.backups = new BackupService(environment);
    this.restores = new SelectiveRestoreService(accounts, mailboxes, messages);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.history.failAbandoned(new Date(Date.now() - ABANDONED_MS), new Date());
  }

  list(limit = 100): Promise<BackupJob[]> {
    return this.history.list(limit);
  }

  get(id: string): Promise<BackupJob | null> {
    return this.history.get(id);
  }

  async startBackup(actor: AuditActor, location: string, incremental: boolean, secret: Buffer | null): Promise<BackupJob> {
    return (await this.start(actor, 'backup', location, null, null, (job) => this.backUp(job, location, incremental, secret)))!;
  }

  /**
   * The scheduled backup due at `scheduledFor`, then pruning: null when another node already took that run. An
   * incremental run with no full backup to build on makes a full one.
   */
  async runScheduled(
    scheduledFor: Date,
    plan: { location: string; incremental: boolean; keyFile: string; keepFull: number; keepDays: number },
  ): Promise<BackupJob | null> {
    return this.start(SCHEDULE_ACTOR, 'backup', plan.location, null, scheduledFor, async (job) => {
      const secret = plan.keyFile ? await readKeyFile(plan.keyFile) : null;
      const incremental = plan.incremental && (await this.backups.hasBackups(plan.location));
      let result = await this.backUp(job, plan.location, incremental, secret);
      if (plan.keepFull > 0 || plan.keepDays > 0) {
        const removed = await pruneBackups(plan.location, plan.keepFull, plan.keepDays);
        result += removed.length > 0 ? `; pruned ${removed.join(', ')}` : '';
      }
      return result;
    });
  }

  async startVerify(actor: AuditActor, location: string, backupId: string, secret: Buffer | null): Promise<BackupJob> {
    const job = await this.start(actor, 'verify', location, backupId, null, async (job) => {
      const result = await verifyBackup(location, backupId, secret);
      job.items = result.files;
      if (result.problems.length > 0) throw new Error(`${result.problems.length} problem(s): ${result.problems.join('; ')}`);
      return `intact: ${result.files} files in a chain of ${result.chain.length} backup(s)`;
    });
    return job!;
  }

  async startRestore(actor: AuditActor, options: SelectiveRestoreOptions): Promise<BackupJob> {
    const job = await this.start(actor, 'restore', options.location, options.id, null, async (job) => {
      const restored = await this.restores.restore(options);
      job.items = restored.reduce((sum, folder) => sum + folder.messages, 0);
      return restored.map((folder) => `${folder.from} -> ${folder.to}: ${folder.messages}`).join('; ') || 'nothing to restore';
    });
    return job!;
  }

  private async backUp(job: BackupJob, location: string, incremental: boolean, secret: Buffer | null): Promise<string> {
    const manifest = await this.backups.create({
      location,
      incremental,
      secret,
      onProgress: (progress) => {
        job.items = progress.items;
        job.bytes = progress.bytes;
      },
    });
    job.backupId = manifest.id;
    return `${manifest.kind} backup ${manifest.id}: ${manifest.tables.reduce((sum, table) => sum + table.stored, 0)} rows, ${manifest.blobs.stored} blobs`;
  }

  /**
   * Records the job (for a scheduled one, only if no other node took that run), audits its start, and runs it
   * without waiting; resolves once it is recorded, or with null when the scheduled run was taken.
   */
  private async start(
    actor: AuditActor,
    kind: BackupJobKind,
    location: string,
    backupId: string | null,
    scheduledFor: Date | null,
    work: (job: BackupJob) => Promise<string>,
  ): Promise<BackupJob | null> {
    const now = new Date();
    const job: BackupJob = {
      id: randomUUID(),
      kind,
      state: 'running',
      location,
      backupId,
      startedAt: now,
      finishedAt: null,
      heartbeatAt: now,
      items: 0,
      bytes: 0,
      result: null,
      startedBy: actor.name,
      scheduledFor,
    };
    if (!(await this.history.insert(job))) return null;
    await this.audit.record(actor, `backup.${kind}.start`, backupId ?? location, { job: job.id, location });
    await this.history.trim(KEPT_JOBS);
    const progress = setInterval(() => {
      job.heartbeatAt = new Date();
      this.history.update(job).catch(() => undefined);
    }, HEARTBEAT_MS);
    void work(job)
      .then(
        (result) => {
          job.state = 'succeeded';
          job.result = result;
        },
        (error: unknown) => {
          job.state = 'failed';
          job.result = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        },
      )
      .then(async () => {
        clearInterval(progress);
        job.finishedAt = job.heartbeatAt = new Date();
        await this.history.update(job);
        await this.audit.record(actor, `backup.${kind}.${job.state}`, job.backupId ?? location, { job: job.id, result: job.result });
      })
      .catch(() => undefined);
    return { ...job };
  }
}
