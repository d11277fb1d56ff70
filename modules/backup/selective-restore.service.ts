import { AccountsService } from '../../core/accounts/accounts.service.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { BackupReader } from './backup-reader.js';
import { BackupError } from './backup.errors.js';
import type { SourceValue } from './backup.ports.js';

export interface SelectiveRestoreOptions {
  location: string;
  id: string;
  secret: Buffer | null;
  /** The user whose mail the backup holds. */
  user: string;
  /** One folder of theirs; all of them when absent. */
  mailbox?: string;
  /** One message of the folder (`mailbox` required) by UID, or one message of the user by Message-ID. */
  uid?: number;
  messageId?: string;
  /** The user that receives the mail; the same user when absent. */
  into?: string;
  now?: Date;
}

export interface RestoredFolder {
  /** The folder in the backup. */
  from: string;
  /** Where its messages went. */
  to: string;
  messages: number;
}

type BackupRecord = Record<string, SourceValue>;

const FLAG_COLUMNS: [string, string][] = [
  ['seen', '\\Seen'],
  ['answered', '\\Answered'],
  ['flagged', '\\Flagged'],
  ['deleted', '\\Deleted'],
  ['draft', '\\Draft'],
];

/**
 * Restores one user's mail, one folder or one message from a backup into the running store, through the core's append
 * path (IMAP APPEND's), so quota, counters and change events are the usual ones and connected clients see new
 * messages as they see delivered mail. Nothing already there is touched: a folder goes back to its own name when that
 * folder is missing or empty, a message when its folder does not already hold the same content; otherwise they go
 * under `Restored/<date>/`. Flags, keywords and internal dates come back; UIDs are new ones of the target folder.
 */
export class SelectiveRestoreService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
  ) {}

  async restore(options: SelectiveRestoreOptions): Promise<RestoredFolder[]> {
    if (options.uid !== undefined && options.mailbox === undefined) throw new BackupError('INVALID', '--uid needs --mailbox');
    const target = await this.accounts.findUser(options.into ?? options.user);
    if (!target) throw new MailError('NONEXISTENT', `user ${options.into ?? options.user} does not exist`);
    const reader = await BackupReader.open(options.location, options.id, options.secret);
    const address = options.user.trim().toLowerCase();
    const [account] = await reader.records('accounts', (record) => String(record.address).toLowerCase() === address);
    if (!account) throw new BackupError('NOT_FOUND', `backup ${options.id} has no user ${options.user}`);
    const wantedPath = options.mailbox === undefined ? null : normalisePath(options.mailbox);
    const folders = await reader.records(
      'mailboxes',
      (record) => record.accountId === account.id && (wantedPath === null || record.path === wantedPath),
    );
    if (folders.length === 0)
      throw new BackupError('NOT_FOUND', `backup ${options.id} has no folder ${options.mailbox} of ${options.user}`);
    const folderIds = new Set(folders.map((folder) => folder.id));
    const messageId = options.messageId === undefined ? null : normaliseMessageId(options.messageId);
    const rows = await reader.records(
      'messages',
      (record) =>
        folderIds.has(record.mailboxId) &&
        (options.uid === undefined || Number(record.uid) === options.uid) &&
        (messageId === null || normaliseMessageId(String(record.messageIdHeader ?? '')) === messageId),
    );
    if (rows.length === 0 && (options.uid !== undefined || messageId !== null)) {
      throw new BackupError('NOT_FOUND', `backup ${options.id} has no such message of ${options.user}`);
    }
    // The contents of the selected messages only; the packs are read once, in order.
    const wantedBlobs = new Set(rows.map((row) => String(row.blobId)));
    const contents = new Map<string, Buffer>();
    for await (const blob of reader.blobs()) if (wantedBlobs.has(blob.id)) contents.set(blob.id, blob.content);
    const day = (options.now ?? new Date()).toISOString().slice(0, 10);
    const single = options.uid !== undefined || messageId !== null;
    const restored: RestoredFolder[] = [];
    for (const folder of folders.sort((a, b) => String(a.path).localeCompare(String(b.path)))) {
      const own = rows.filter((row) => row.mailboxId === folder.id).sort((a, b) => Number(a.uid) - Number(b.uid));
      if (own.length === 0 && single) continue;
      const path = String(folder.path);
      const destination = await this.destination(
        target.id,
        path,
        own.map((row) => String(row.blobId)),
        single,
        day,
      );
      const mailbox = (await this.mailboxes.find(target.id, destination)) ?? (await this.mailboxes.create(target.id, destination));
      for (const row of own) {
        const content = contents.get(String(row.blobId));
        if (!content)
          throw new BackupError(
            'MISSING_BLOB',
            `blob ${String(row.blobId)} of message ${String(row.uid)} in ${path} is in no pack of the backup`,
          );
        await this.messages.append(
          { accountId: target.id, mailboxId: mailbox.id, flags: flagsOf(row), internalDate: Number(row.internalDate) },
          content,
        );
      }
      restored.push({ from: path, to: destination, messages: own.length });
    }
    return restored;
  }

  /** The folder's own name when that does not clash with what is there, else the same name under Restored/<date>/. */
  private async destination(accountId: number, path: string, blobIds: readonly string[], single: boolean, day: string): Promise<string> {
    const existing = await this.mailboxes.find(accountId, path);
    if (!existing) return path;
    const present = await this.messages.list(existing.id);
    const clash = single ? present.some((row) => blobIds.includes(row.blobId)) : present.length > 0;
    return clash ? `Restored/${day}/${path}` : path;
  }
}

function flagsOf(row: BackupRecord): string[] {
  const flags = FLAG_COLUMNS.filter(([column]) => Number(row[column]) === 1).map(([, flag]) => flag);
  const keywords = typeof row.keywords === 'string' ? (JSON.parse(row.keywords) as unknown) : [];
  return [...flags, ...(Array.isArray(keywords) ? keywords.filter((keyword): keyword is string => typeof keyword === 'string') : [])];
}

function normalisePath(path: string): string {
  const levels = path.replace(/\/+$/, '').split('/');
  if (levels[0]!.toUpperCase() === 'INBOX') levels[0] = 'INBOX';
  return levels.join('/');
}

function normaliseMessageId(value: string): string {
  return value.trim().replace(/^<|>$/g, '').toLowerCase();
}
