import { Cron } from 'croner';
import { BackupError } from './backup.errors.js';

/**
 * When the server backs itself up: full backups on `fullCron`, incrementals on `incrementalCron` (empty: none), into
 * `location`, encrypted with the key in `keyFile` when one is given, then pruned to the newest `keepFull` full
 * chains and everything younger than `keepDays` (0 and 0: nothing is pruned).
 */
export interface BackupSchedule {
  enabled: boolean;
  fullCron: string;
  incrementalCron: string;
  location: string;
  keyFile: string;
  keepFull: number;
  keepDays: number;
  updatedAt: Date;
}

/** Cron expressions are short; croner takes 5 fields (minutes) or 6 (seconds first). */
const MAX_CRON_LENGTH = 100;

/** The next times a cron expression fires, or a BackupError saying why it is not one. */
export function cronRuns(expression: string, count: number, from = new Date()): Date[] {
  if (expression.length > MAX_CRON_LENGTH) throw new BackupError('INVALID', `a cron expression has at most ${MAX_CRON_LENGTH} characters`);
  try {
    return new Cron(expression, { paused: true }).nextRuns(count, from);
  } catch (error) {
    throw new BackupError('INVALID', `"${expression}" is not a cron expression: ${(error as Error).message}`);
  }
}

/** Refuses a schedule that could not run: a bad cron expression, no location, negative retention. */
export function checkSchedule(schedule: Omit<BackupSchedule, 'updatedAt'>): void {
  cronRuns(schedule.fullCron, 1);
  if (schedule.incrementalCron !== '') cronRuns(schedule.incrementalCron, 1);
  if (schedule.enabled && schedule.location.trim() === '') throw new BackupError('INVALID', 'a schedule needs a location');
  if (schedule.location.length > 1000 || schedule.keyFile.length > 1000)
    throw new BackupError('INVALID', 'a path has at most 1000 characters');
  if (!Number.isInteger(schedule.keepFull) || schedule.keepFull < 0 || !Number.isInteger(schedule.keepDays) || schedule.keepDays < 0)
    throw new BackupError('INVALID', 'retention is a number of full backups and of days, each 0 or more');
}
