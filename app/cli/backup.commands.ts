import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { BLOB_STORE, type BlobStore } from '../../core/blob/blob-store.js';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { databaseKind } from '../../core/store/data-source.factory.js';
import { storeSnapshots } from '../module-schemas.js';
import { DATA_SOURCES } from '../../core/store/store.tokens.js';
import { packageVersion } from '../../core/util/package-version.js';
import { listBackups, pruneBackups, verifyBackup } from '../../modules/backup/backup-catalog.js';
import { BackupError } from '../../modules/backup/backup.errors.js';
import { readKeyFile } from '../../modules/backup/backup-crypto.js';
import type { Manifest } from '../../modules/backup/backup-manifest.js';
import { BackupService } from '../../modules/backup/backup.service.js';
import { SelectiveRestoreService } from '../../modules/backup/selective-restore.service.js';
import { UsageError } from './cli-error.js';
import { withCore } from './core-context.js';
import { readPasswordLine } from './password-input.js';

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: { out(line: string): void; stdin: Readable }) => Promise<void>;

const KEY_OPTIONS = { 'key-file': { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } } as const;

function backups(config: MailhiveConfig, logger: Logger, work: (service: BackupService) => Promise<void>): Promise<void> {
  return withCore(config, logger, (context) =>
    work(
      new BackupService({
        snapshots: storeSnapshots(context.get(DATA_SOURCES)),
        blobs: context.get<BlobStore>(BLOB_STORE),
        serverVersion: packageVersion(),
        database: databaseKind(config),
      }),
    ),
  );
}

/** A backup location: a directory for now. */
function location(value: string | undefined, option: '--to' | '--from'): string {
  if (!value) throw new UsageError(`${option} DIR is required`);
  if (value.startsWith('s3://')) throw new UsageError(`${option}: S3 locations are not supported by this build; give a directory`);
  return value;
}

/** The secret of `--key-file F` (the file's bytes) or `--passphrase-stdin` (the first line of standard input). */
async function secretOf(values: { 'key-file'?: string; 'passphrase-stdin'?: boolean }, stdin: Readable): Promise<Buffer | null> {
  if (values['key-file'] !== undefined && values['passphrase-stdin'])
    throw new UsageError('give either --key-file or --passphrase-stdin, not both');
  if (values['key-file'] !== undefined) return readKeyFile(values['key-file']);
  if (!values['passphrase-stdin']) return null;
  const line = await readPasswordLine(stdin);
  if (!line.ok) throw new UsageError(`--passphrase-stdin: ${line.reason.replace('password', 'passphrase')}`);
  return Buffer.from(line.password);
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}`);
  return positionals[0]!;
}

function count(value: string | undefined, option: string): number {
  const number = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new UsageError(`${option} needs a whole number`);
  return number;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function describe(manifest: Manifest): string {
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  const stored = manifest.tables.reduce((sum, table) => sum + table.stored, 0);
  const messages = manifest.tables.find((table) => table.name === 'messages')?.rows ?? 0;
  const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  return [
    manifest.id,
    manifest.kind,
    manifest.parent ?? '-',
    manifest.startedAt,
    `messages=${messages}`,
    `rows=${rows}`,
    `stored-rows=${stored}`,
    `blobs=${manifest.blobs.stored}/${manifest.blobs.referenced}`,
    `size=${mebibytes(bytes)}`,
    manifest.encryption ? 'encrypted' : 'plain',
  ].join('\t');
}

/** `mailhive backup ...`, merged into the CLI's command table. */
export const BACKUP_COMMANDS: Record<string, Handler> = {
  'backup create': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...KEY_OPTIONS, to: { type: 'string' }, incremental: { type: 'boolean' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const to = location(values.to, '--to');
    const secret = await secretOf(values, io.stdin);
    return backups(config, logger, async (service) => {
      const started = Date.now();
      const manifest = await service.create({ location: to, incremental: values.incremental ?? false, secret });
      const stored = manifest.tables.reduce((sum, table) => sum + table.stored, 0);
      const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
      io.out(
        `${manifest.kind} backup${manifest.parent ? ` on ${manifest.parent}` : ''}: ${manifest.tables.length} tables, ${stored} rows, ` +
          `${manifest.blobs.stored} blobs (${mebibytes(manifest.blobs.bytes)}), ${mebibytes(bytes)} written in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      io.out(manifest.id);
    });
  },
  'backup list': async (args, _config, _logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    // Reading manifests needs no store: list works while the database is down.
    for (const manifest of await listBackups(location(values.from, '--from'))) io.out(describe(manifest));
  },
  'backup verify': async (args, _config, _logger, io) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...KEY_OPTIONS, from: { type: 'string' } } });
    const id = one(positionals, 'backup ID');
    const from = location(values.from, '--from');
    const secret = await secretOf(values, io.stdin);
    const result = await verifyBackup(from, id, secret);
    for (const problem of result.problems) io.out(`problem: ${problem}`);
    if (result.problems.length > 0)
      throw new BackupError('CORRUPT', `backup ${id} failed verification: ${result.problems.length} problem(s)`);
    io.out(`backup ${id} is intact: ${result.files} files in a chain of ${result.chain.length} backup(s) match their checksums`);
  },
  'backup restore': async (args, config, logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...KEY_OPTIONS,
        from: { type: 'string' },
        user: { type: 'string' },
        mailbox: { type: 'string' },
        uid: { type: 'string' },
        'message-id': { type: 'string' },
        into: { type: 'string' },
      },
    });
    const id = one(positionals, 'backup ID');
    const from = location(values.from, '--from');
    const selective = values.user !== undefined;
    if (!selective && [values.mailbox, values.uid, values['message-id'], values.into].some((value) => value !== undefined)) {
      throw new UsageError('--mailbox, --uid, --message-id and --into select mail of a user: give --user too');
    }
    if (values.uid !== undefined && values['message-id'] !== undefined) throw new UsageError('give either --uid or --message-id, not both');
    if (values.uid !== undefined && values.mailbox === undefined) throw new UsageError('--uid needs --mailbox');
    const uid = values.uid === undefined ? undefined : count(values.uid, '--uid');
    const secret = await secretOf(values, io.stdin);
    if (selective) {
      return withCore(config, logger, async (context) => {
        const service = new SelectiveRestoreService(context.get(AccountsService), context.get(MailboxService), context.get(MessageService));
        const restored = await service.restore({
          location: from,
          id,
          secret,
          user: values.user!,
          mailbox: values.mailbox,
          uid,
          messageId: values['message-id'],
          into: values.into,
        });
        for (const folder of restored) io.out(`${folder.from} -> ${folder.to}: ${folder.messages} message(s)`);
        io.out(`restored ${restored.reduce((sum, folder) => sum + folder.messages, 0)} message(s) of ${values.user} from backup ${id}`);
      });
    }
    return backups(config, logger, async (service) => {
      const summary = await service.restore(from, id, secret);
      io.out(`backup ${summary.id} restored: ${summary.rows} rows, ${summary.blobs} blobs`);
    });
  },
  'backup prune': async (args, _config, _logger, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { from: { type: 'string' }, 'keep-full': { type: 'string' }, 'keep-days': { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const from = location(values.from, '--from');
    const keepFull = count(values['keep-full'], '--keep-full');
    const keepDays = count(values['keep-days'], '--keep-days');
    if (keepFull === 0 && keepDays === 0) throw new UsageError('--keep-full 0 --keep-days 0 would remove every backup');
    const removed = await pruneBackups(from, keepFull, keepDays);
    for (const id of removed) io.out(`removed ${id}`);
    io.out(`${removed.length} backup(s) removed`);
  },
};
