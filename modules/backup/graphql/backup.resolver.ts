import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { GraphQLError } from 'graphql';
import type { AuditActor } from '../../../core/audit/audit-log.js';
import { listBackups } from '../backup-catalog.js';
import { BackupError } from '../backup.errors.js';
import { BackupJobsService, type BackupJob } from '../backup-jobs.service.js';
import { BackupSchedules } from '../backup-schedules.service.js';
import type { BackupSchedule } from '../backup-schedule.js';
import { nextRun } from '../backup-scheduler.service.js';
import { BackupJobModel, BackupModel, BackupScheduleInput, BackupScheduleModel, SelectiveRestoreInput } from './backup.models.js';

/** Backups hold every user's mail: only system admins see or start them. */
function systemAdmin(principal: AdminPrincipal, context: GraphqlContext): AuditActor {
  if (principal.role !== 'system_admin') throw forbidden();
  return { name: principal.address, role: principal.role, clientAddress: context.remoteAddress ?? '' };
}

function secretOf(passphrase: string | null | undefined): Buffer | null {
  return passphrase ? Buffer.from(passphrase) : null;
}

function jobModel(job: BackupJob): BackupJobModel {
  return { ...job };
}

/** The schedule with its next runs (up to five). */
function scheduleModel(schedule: BackupSchedule): BackupScheduleModel {
  const nextRuns: Date[] = [];
  for (let from = new Date(); schedule.enabled && nextRuns.length < 5;) {
    const next = nextRun(schedule, from);
    if (!next) break;
    nextRuns.push(next.at);
    from = next.at;
  }
  return { ...schedule, nextRuns };
}

@Resolver()
@UseGuards(AdminGuard)
export class BackupResolver {
  constructor(
    private readonly jobs: BackupJobsService,
    private readonly schedules: BackupSchedules,
  ) {}

  @Query(() => [BackupModel], { description: 'The complete backups of a location, oldest first (system admins)' })
  async backups(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('location') location: string,
  ): Promise<BackupModel[]> {
    systemAdmin(principal, context);
    try {
      return (await listBackups(location)).map((manifest) => ({
        id: manifest.id,
        kind: manifest.kind,
        parent: manifest.parent,
        startedAt: new Date(manifest.startedAt),
        finishedAt: new Date(manifest.finishedAt),
        serverVersion: manifest.serverVersion,
        schemaVersion: manifest.schemaVersion,
        messages: manifest.tables.find((table) => table.name === 'messages')?.rows ?? 0,
        storedBytes: manifest.files.reduce((sum, file) => sum + file.bytes, 0),
        encrypted: manifest.encryption !== null,
      }));
    } catch (error) {
      throw refusal(error);
    }
  }

  @Query(() => [BackupJobModel], { description: 'Backup jobs of every node, newest first (system admins)' })
  async backupJobs(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('limit', { type: () => Int, defaultValue: 100 }) limit: number,
  ): Promise<BackupJobModel[]> {
    systemAdmin(principal, context);
    return (await this.jobs.list(Math.min(Math.max(limit, 1), 500))).map(jobModel);
  }

  @Query(() => BackupJobModel, { nullable: true, description: 'One backup job, with its progress (system admins)' })
  async backupJob(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<BackupJobModel | null> {
    systemAdmin(principal, context);
    const job = await this.jobs.get(id);
    return job ? jobModel(job) : null;
  }

  @Query(() => BackupScheduleModel, { description: 'The backup schedule (system admins)' })
  async backupSchedule(@CurrentAdmin() principal: AdminPrincipal, @Context() context: GraphqlContext): Promise<BackupScheduleModel> {
    systemAdmin(principal, context);
    return scheduleModel(await this.schedules.get());
  }

  @Mutation(() => BackupScheduleModel, { description: 'Sets the backup schedule; every node follows it from its next run on' })
  async setBackupSchedule(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: BackupScheduleInput,
  ): Promise<BackupScheduleModel> {
    const actor = systemAdmin(principal, context);
    try {
      return scheduleModel(await this.schedules.set(actor, input));
    } catch (error) {
      throw refusal(error);
    }
  }

  @Mutation(() => BackupJobModel, { description: 'Starts a full or incremental backup of the whole store into a directory' })
  async startBackup(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('location') location: string,
    @Args('incremental', { defaultValue: false }) incremental: boolean,
    @Args('passphrase', { type: () => String, nullable: true }) passphrase: string | null,
  ): Promise<BackupJobModel> {
    return jobModel(await this.jobs.startBackup(systemAdmin(principal, context), location, incremental, secretOf(passphrase)));
  }

  @Mutation(() => BackupJobModel, { description: 'Starts checking every checksum of a backup and its chain' })
  async startBackupVerify(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('location') location: string,
    @Args('backupId') backupId: string,
    @Args('passphrase', { type: () => String, nullable: true }) passphrase: string | null,
  ): Promise<BackupJobModel> {
    return jobModel(await this.jobs.startVerify(systemAdmin(principal, context), location, backupId, secretOf(passphrase)));
  }

  @Mutation(() => BackupJobModel, { description: "Starts restoring a user's mail, a folder or a message into the running server" })
  async startSelectiveRestore(
    @CurrentAdmin() principal: AdminPrincipal,
    @Context() context: GraphqlContext,
    @Args('input') input: SelectiveRestoreInput,
  ): Promise<BackupJobModel> {
    const actor = systemAdmin(principal, context);
    if (input.uid != null && !input.mailbox) throw refusal(new BackupError('INVALID', 'uid needs mailbox'));
    return jobModel(
      await this.jobs.startRestore(actor, {
        location: input.location,
        id: input.backupId,
        secret: secretOf(input.passphrase),
        user: input.user,
        mailbox: input.mailbox ?? undefined,
        uid: input.uid ?? undefined,
        messageId: input.messageId ?? undefined,
        into: input.into ?? undefined,
      }),
    );
  }
}

function refusal(error: unknown): unknown {
  return error instanceof BackupError ? new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } }) : error;
}
