import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { MailError } from '../../../core/mail/mail.errors.js';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import { flagList, flagStateOf } from '../../../core/mail/message-flags.js';
import { MessageService } from '../../../core/mail/message.service.js';
import { BackupError } from '../backup.errors.js';
import {
  folderOfMaildir,
  keywordsFile,
  maildirFlags,
  maildirFolder,
  maildirName,
  maildirOrder,
  parseKeywordsFile,
} from './maildir.format.js';
import { flagHeaders, lineEnding, quoteFromLines, readMbox, separatorLine } from './mbox.format.js';

export type PortableFormat = 'mbox' | 'maildir' | 'eml';
export const PORTABLE_FORMATS: readonly PortableFormat[] = ['mbox', 'maildir', 'eml'];

export interface ExportOptions {
  address: string;
  /** One folder; all of the user's folders when absent. */
  mailbox?: string;
  format: PortableFormat;
  out: string;
}

export interface ImportOptions {
  address: string;
  /** The folder everything goes into (created when missing); else the folders the export names. */
  mailbox?: string;
  format: PortableFormat;
  input: string;
  /** Leaves out messages whose Message-ID or content the target folder already has. */
  skipDuplicates: boolean;
}

export interface PortabilitySummary {
  mailboxes: number;
  messages: number;
  skipped: number;
  bytes: number;
}

/** A message read from an export, ready to append. */
interface Incoming {
  folder: string;
  raw: Buffer;
  flags: string[];
  internalDate: number | null;
}

/**
 * Export of a user's mail as mbox (mboxrd), Maildir or .eml files, and import of the same, byte for byte: raw
 * messages are read from and written to the blob store untouched, whatever their charset. Import goes through the
 * core's append path (IMAP APPEND's), so quota, counters, UIDs, MODSEQs and change events are the usual ones.
 *
 * Layout of an export of all folders: mbox `OUT/<folder>.mbox`, Maildir++ `OUT/` (INBOX) and `OUT/.<a>.<b>/`, eml
 * `OUT/<folder>/<uid>.eml`; of one folder (`--mailbox`): the mbox file, the Maildir or the directory of .eml files.
 */
export class MailPortabilityService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
  ) {}

  async export(options: ExportOptions): Promise<PortabilitySummary> {
    const account = await this.user(options.address);
    const folders = options.mailbox ? [await this.mailboxes.get(account.id, options.mailbox)] : await this.mailboxes.list(account.id);
    const summary: PortabilitySummary = { mailboxes: 0, messages: 0, skipped: 0, bytes: 0 };
    for (const folder of folders) {
      const rows = (await this.messages.list(folder.id)).sort((a, b) => a.uid - b.uid);
      const single = options.mailbox !== undefined;
      summary.mailboxes++;
      if (options.format === 'mbox') {
        const file = single ? options.out : join(options.out, `${folder.path}.mbox`);
        await mkdir(dirname(file), { recursive: true });
        const out = createWriteStream(file);
        try {
          for (const row of rows) {
            const raw = await this.messages.readRaw(row.blobId);
            const eol = lineEnding(raw);
            await write(out, separatorLine(row.fromAddress, new Date(row.internalDate)));
            await write(out, flagHeaders(flagList(flagStateOf(row)), eol));
            await write(out, quoteFromLines(raw));
            await write(out, '\n');
            summary.messages++;
            summary.bytes += raw.length;
          }
        } finally {
          await close(out);
        }
        continue;
      }
      const directory =
        options.format === 'maildir'
          ? join(options.out, single ? '' : maildirFolder(folder.path))
          : join(options.out, single ? '' : folder.path);
      const keywords = [...new Set(rows.flatMap((row) => row.keywords))].sort();
      if (options.format === 'maildir') {
        for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(directory, sub), { recursive: true });
        if (keywords.length > 0) await writeFile(join(directory, 'dovecot-keywords'), keywordsFile(keywords));
      } else {
        await mkdir(directory, { recursive: true });
      }
      for (const row of rows) {
        const raw = await this.messages.readRaw(row.blobId);
        const file =
          options.format === 'maildir'
            ? join(directory, 'cur', maildirName(row.uid, row.internalDate, raw.length, flagList(flagStateOf(row)), keywords))
            : join(directory, `${row.uid}.eml`);
        await writeFile(file, raw);
        // The file's time carries the internal date, as Maildir readers take it.
        const seconds = row.internalDate / 1000;
        await utimes(file, seconds, seconds);
        summary.messages++;
        summary.bytes += raw.length;
      }
    }
    return summary;
  }

  async import(options: ImportOptions): Promise<PortabilitySummary> {
    const account = await this.user(options.address);
    const summary: PortabilitySummary = { mailboxes: 0, messages: 0, skipped: 0, bytes: 0 };
    const targets = new Map<string, { id: number; blobs: Set<string>; messageIds: Set<string> }>();
    const target = async (folder: string) => {
      const path = options.mailbox ?? folder;
      let known = targets.get(path);
      if (known) return known;
      const mailbox = (await this.mailboxes.find(account.id, path)) ?? (await this.mailboxes.create(account.id, path));
      const rows = options.skipDuplicates ? await this.messages.list(mailbox.id) : [];
      known = {
        id: mailbox.id,
        blobs: new Set(rows.map((row) => row.blobId)),
        messageIds: new Set(rows.map((row) => normaliseMessageId(row.messageIdHeader)).filter((id) => id !== '')),
      };
      targets.set(path, known);
      summary.mailboxes++;
      return known;
    };
    for await (const message of this.read(options)) {
      const into = await target(message.folder);
      const hash = createHash('sha256').update(message.raw).digest('hex');
      const messageId = normaliseMessageId(messageIdOf(message.raw));
      if (options.skipDuplicates && (into.blobs.has(hash) || (messageId !== '' && into.messageIds.has(messageId)))) {
        summary.skipped++;
        continue;
      }
      await this.messages.append(
        {
          accountId: account.id,
          mailboxId: into.id,
          flags: message.flags,
          ...(message.internalDate === null ? {} : { internalDate: message.internalDate }),
        },
        message.raw,
      );
      into.blobs.add(hash);
      if (messageId) into.messageIds.add(messageId);
      summary.messages++;
      summary.bytes += message.raw.length;
    }
    return summary;
  }

  private async *read(options: ImportOptions): AsyncIterable<Incoming> {
    const info = await stat(options.input).catch(() => null);
    if (!info) throw new BackupError('NOT_FOUND', `${options.input} does not exist`);
    if (options.format === 'mbox') {
      const files = info.isDirectory() ? await filesUnder(options.input, (name) => name.endsWith('.mbox')) : [options.input];
      for (const file of files) {
        const folder = info.isDirectory() ? relative(options.input, file).slice(0, -'.mbox'.length).split(sep).join('/') : 'INBOX';
        for await (const message of readMbox(createReadStream(file))) {
          yield { folder, raw: message.raw, flags: message.flags, internalDate: message.date?.getTime() ?? null };
        }
      }
      return;
    }
    if (!info.isDirectory()) {
      if (options.format === 'eml') yield { folder: 'INBOX', raw: await readFile(options.input), flags: [], internalDate: info.mtimeMs };
      else throw new BackupError('INVALID', `${options.input} is not a Maildir directory`);
      return;
    }
    if (options.format === 'eml') {
      for (const file of await filesUnder(options.input, (name) => name.endsWith('.eml'))) {
        const folder = dirname(relative(options.input, file));
        const time = (await stat(file)).mtimeMs;
        yield {
          folder: folder === '.' ? 'INBOX' : folder.split(sep).join('/'),
          raw: await readFile(file),
          flags: [],
          internalDate: Math.floor(time),
        };
      }
      return;
    }
    const names = await readdir(options.input);
    const folders = [''].concat(names.filter((name) => name.startsWith('.') && name !== '.' && name !== '..'));
    for (const directory of folders) {
      const root = join(options.input, directory);
      if (!(await stat(join(root, 'cur')).catch(() => null))) continue;
      const keywords = parseKeywordsFile(await readFile(join(root, 'dovecot-keywords'), 'utf8').catch(() => ''));
      for (const sub of ['new', 'cur']) {
        const files = (await readdir(join(root, sub)).catch(() => [] as string[])).sort(maildirOrder);
        for (const name of files) {
          const file = join(root, sub, name);
          const time = (await stat(file)).mtimeMs;
          yield {
            folder: folderOfMaildir(directory),
            raw: await readFile(file),
            flags: sub === 'cur' ? maildirFlags(name, keywords) : [],
            internalDate: Math.floor(time),
          };
        }
      }
    }
  }

  private async user(address: string) {
    const account = await this.accounts.findUser(address);
    if (!account) throw new MailError('NONEXISTENT', `user ${address} does not exist`);
    return account;
  }
}

function write(out: WriteStream, data: Buffer | string): Promise<void> {
  return out.write(data)
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        out.once('drain', resolve);
        out.once('error', reject);
      });
}

function close(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

async function filesUnder(root: string, wanted: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path, wanted)));
    else if (entry.isFile() && wanted(entry.name)) found.push(path);
  }
  // Numbered .eml files in the order of their numbers (their UIDs), the rest by name.
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The Message-ID header's value from the header section, or ''. */
function messageIdOf(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const header = raw.toString('latin1', 0, end >= 0 ? end : Math.min(raw.length, 65536));
  return /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header)?.[1]?.trim() ?? '';
}

function normaliseMessageId(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/^<|>$/g, '').toLowerCase();
}
