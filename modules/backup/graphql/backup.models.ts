import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('BackupJob', { description: 'A backup, verify or selective-restore job run by the server' })
export class BackupJobModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'backup, verify or restore' })
  kind: string;

  @Field({ description: 'running, succeeded or failed' })
  state: string;

  @Field()
  location: string;

  @Field(() => String, { nullable: true, description: 'The backup made, verified or restored from' })
  backupId: string | null;

  @Field(() => Date)
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => Int, { description: 'Rows, blobs, files or messages done so far' })
  items: number;

  @Field(() => Float, { description: 'Blob bytes done so far' })
  bytes: number;

  @Field(() => String, { nullable: true, description: 'What was done, or why it failed' })
  result: string | null;

  @Field({ description: 'The admin who started it, or `schedule`' })
  startedBy: string;

  @Field(() => Date, { nullable: true, description: 'For a scheduled backup: the time it was scheduled for' })
  scheduledFor: Date | null;
}

@ObjectType('BackupSchedule', { description: 'When the server backs itself up, where to, and what it keeps' })
export class BackupScheduleModel {
  @Field()
  enabled: boolean;

  @Field({ description: 'Cron expression of the full backups (5 fields, or 6 with seconds first)' })
  fullCron: string;

  @Field({ description: 'Cron expression of the incremental backups; empty for none' })
  incrementalCron: string;

  @Field({ description: 'The directory the backups go to' })
  location: string;

  @Field({ description: 'A key file on the server that encrypts the backups; empty for none' })
  keyFile: string;

  @Field(() => Int, { description: 'Full backups kept, with their incrementals (0: no limit by count)' })
  keepFull: number;

  @Field(() => Int, { description: 'Days every backup is kept (0: no limit by age)' })
  keepDays: number;

  @Field(() => [Date], { description: 'The next runs, when enabled' })
  nextRuns: Date[];
}

@InputType('BackupScheduleInput')
export class BackupScheduleInput {
  @Field()
  enabled: boolean;

  @Field()
  fullCron: string;

  @Field({ defaultValue: '' })
  incrementalCron: string;

  @Field()
  location: string;

  @Field({ defaultValue: '' })
  keyFile: string;

  @Field(() => Int, { defaultValue: 0 })
  keepFull: number;

  @Field(() => Int, { defaultValue: 0 })
  keepDays: number;
}

@ObjectType('Backup', { description: 'A complete backup in a location, from its manifest' })
export class BackupModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'full or incremental' })
  kind: string;

  @Field(() => String, { nullable: true })
  parent: string | null;

  @Field(() => Date)
  startedAt: Date;

  @Field(() => Date)
  finishedAt: Date;

  @Field()
  serverVersion: string;

  @Field()
  schemaVersion: string;

  @Field(() => Int, { description: 'Messages in the snapshot' })
  messages: number;

  @Field(() => Float, { description: 'Bytes stored (compressed, maybe encrypted)' })
  storedBytes: number;

  @Field()
  encrypted: boolean;
}

@InputType('SelectiveRestoreInput', { description: 'Mail of one user to restore from a backup into the running server' })
export class SelectiveRestoreInput {
  @Field()
  location: string;

  @Field()
  backupId: string;

  @Field({ description: 'The user whose mail the backup holds' })
  user: string;

  @Field(() => String, { nullable: true, description: 'One folder; all when absent' })
  mailbox?: string | null;

  @Field(() => Int, { nullable: true, description: 'One message of the folder by UID' })
  uid?: number | null;

  @Field(() => String, { nullable: true, description: 'One message by Message-ID' })
  messageId?: string | null;

  @Field(() => String, { nullable: true, description: 'Restore into this user instead' })
  into?: string | null;

  @Field(() => String, { nullable: true, description: 'The passphrase of an encrypted backup' })
  passphrase?: string | null;
}
