import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { AuditLogWriter } from '../../core/audit/audit-log.writer.js';
import type { AuditActor } from '../../core/audit/audit-log.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { verifyBackup } from './backup-catalog.js';
import { BackupService, type BackupEnvironment } from './backup.service.js';
import { BACKUP_ENVIRONMENT } from './backup.tokens.js';
import { SelectiveRestoreService, type SelectiveRestoreOptions } from './selective-restore.service.js';

export type BackupJobKind = 'backup' | 'verify' | 'restore';
export type BackupJobState = 'running' | 'succeeded' | 'failed';

export interface BackupJob {
  id: string;
  kind: BackupJobKind;
  state: BackupJobState;
  location: string;
  /** The backup made, verified or restored from (a new backup's id once it is known). */
  backupId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Rows and blobs done so far, and blob bytes. */
  items: number;
  bytes: number;
  /** One line: what was done, or why it failed. */
  result: string | null;
  startedBy: string;
}

/** Jobs kept in memory for the job list: the newest ones. The backups themselves are listed from their location. */
const KEPT_JOBS = 100;

/**
 * Backup, verify and selective-restore jobs started over GraphQL: each runs in the server in the background, reports
 * its progress, and is audited when it starts and when it ends.
 */
@Injectable()
export class BackupJobsService {
  private readonly jobs: BackupJob[] = [];
  private readonly backups: BackupService;
  private readonly restores: SelectiveRestoreService;

  constructor(
    @Inject(BACKUP_ENVIRONMENT) environment: BackupEnvironment,
    accounts: AccountsService,
    mailboxes: MailboxService,
    messages: MessageService,
    private readonly audit: AuditLogWriter,
  ) {
    this.backups = new BackupService(environment);
    this.restores = new SelectiveRestoreService(accounts, mailboxes, messages);
  }

  list(): BackupJob[] {
    return [...this.jobs].reverse();
  }

  get(id: string): BackupJob | null {
    return this.jobs.find((job) => job.id === id) ?? null;
  }

  startBackup(actor: AuditActor, location: string, incremental: boolean, secret: Buffer | null): Promise<BackupJob> {
    return this.start(actor, 'backup', location, null, async (job) => {
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
    });
  }

  startVerify(actor: AuditActor, location: string, backupId: string, secret: Buffer | null): Promise<BackupJob> {
    return this.start(actor, 'verify', location, backupId, async (job) => {
      const result = await verifyBackup(location, backupId, secret);
      job.items = result.files;
      if (result.problems.length > 0) throw new Error(`${result.problems.length} problem(s): ${result.problems.join('; ')}`);
      return `intact: ${result.files} files in a chain of ${result.chain.length} backup(s)`;
    });
  }

  startRestore(actor: AuditActor, options: SelectiveRestoreOptions): Promise<BackupJob> {
    return this.start(actor, 'restore', options.location, options.id, async (job) => {
      const restored = await this.restores.restore(options);
      job.items = restored.reduce((sum, folder) => sum + folder.messages, 0);
      return restored.map((folder) => `${folder.from} -> ${folder.to}: ${folder.messages}`).join('; ') || 'nothing to restore';
    });
  }

  /** Registers the job, audits its start, and runs it without waiting; resolves once it is registered. */
  private async start(
    actor: AuditActor,
    kind: BackupJobKind,
    location: string,
    backupId: string | null,
    work: (job: BackupJob) => Promise<string>,
  ): Promise<BackupJob> {
    const job: BackupJob = {
      id: randomUUID(),
      kind,
      state: 'running',
      location,
      backupId,
      startedAt: new Date(),
      finishedAt: null,
      items: 0,
      bytes: 0,
      result: null,
      startedBy: actor.name,
    };
    await this.audit.record(actor, `backup.${kind}.start`, backupId ?? location, { job: job.id, location });
    this.jobs.push(job);
    if (this.jobs.length > KEPT_JOBS) this.jobs.splice(0, this.jobs.length - KEPT_JOBS);
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
      .then(() => {
        job.finishedAt = new Date();
        return this.audit.record(actor, `backup.${kind}.${job.state}`, job.backupId ?? location, { job: job.id, result: job.result });
      })
      .catch(() => undefined);
    return job;
  }
}
