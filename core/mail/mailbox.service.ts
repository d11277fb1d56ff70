import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import type { MailboxChanged } from '../events/mail-events.js';
import { MailboxRepository } from '../store/repositories/mailbox.repository.js';
import { StoreService, type StoreTransaction } from '../store/store.service.js';
import type { Mailbox, SpecialUse } from './mailbox.js';
import { MailError } from './mail.errors.js';
import { MailRepository } from '../store/repositories/mail.repository.js';
import { HIERARCHY_DELIMITER, isInside, newMailboxPath, normalizeMailboxPath, parentPaths } from './mailbox-path.js';

/** Subscriptions to names without a mailbox one account may hold: each SUBSCRIBE of a made-up name adds one. */
export const MAX_DANGLING_SUBSCRIPTIONS = 1000;

export const DEFAULT_MAILBOXES: { path: string; specialUse: SpecialUse | null }[] = [
  { path: 'INBOX', specialUse: null },
  { path: 'Drafts', specialUse: '\\Drafts' },
  { path: 'Sent', specialUse: '\\Sent' },
  { path: 'Trash', specialUse: '\\Trash' },
  { path: 'Junk', specialUse: '\\Junk' },
  { path: 'Archive', specialUse: '\\Archive' },
];

/** Folders: create, list, rename, delete, subscribe. */
@Injectable()
export class MailboxService {
  constructor(
    private readonly store: StoreService,
    private readonly repository: MailRepository,
    private readonly mailboxes: MailboxRepository,
    @Inject(EVENT_BUS) private readonly events: EventBus,
  ) {}

  async createDefaultMailboxes(manager: StoreTransaction, accountId: number): Promise<void> {
    for (const { path, specialUse } of DEFAULT_MAILBOXES) await this.mailboxes.insert(manager, accountId, path, specialUse);
  }

  async list(accountId: number): Promise<Mailbox[]> {
    const mailboxes = await this.mailboxes.listOf(this.store.reader, accountId);
    return mailboxes.sort(comparePaths);
  }

  async find(accountId: number, path: string): Promise<Mailbox | null> {
    let normalized: string;
    try {
      normalized = normalizeMailboxPath(path);
    } catch {
      return null;
    }
    return this.mailboxes.byPath(this.store.reader, accountId, normalized);
  }

  async get(accountId: number, path: string): Promise<Mailbox> {
    const mailbox = await this.find(accountId, path);
    if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${path}" does not exist`);
    return mailbox;
  }

  /** By id, and only if it belongs to the account. */
  async getById(accountId: number, mailboxId: number): Promise<Mailbox> {
    const mailbox = await this.mailboxes.byId(this.store.reader, accountId, mailboxId);
    if (!mailbox) throw new MailError('NONEXISTENT', 'mailbox does not exist');
    return mailbox;
  }

  async getBySpecialUse(accountId: number, specialUse: SpecialUse): Promise<Mailbox | null> {
    return this.mailboxes.bySpecialUse(this.store.reader, accountId, specialUse);
  }

  /** Creates a mailbox and any missing parents (RFC 3501 §6.3.3). */
  async create(accountId: number, path: string, specialUse: SpecialUse | null = null): Promise<Mailbox> {
    const normalized = newMailboxPath(path);
    const created = await this.store.transaction(async (manager) => {
      if (await this.mailboxes.byPath(manager, accountId, normalized)) {
        throw new MailError('ALREADYEXISTS', `mailbox "${normalized}" already exists`);
      }
      const made: Mailbox[] = [];
      for (const parent of parentPaths(normalized)) {
        if (!(await this.mailboxes.byPath(manager, accountId, parent)))
          made.push(await this.mailboxes.insert(manager, accountId, parent, null));
      }
      made.push(await this.mailboxes.insert(manager, accountId, normalized, specialUse));
      await this.mailboxes.dropDangling(
        manager,
        accountId,
        made.map((mailbox) => mailbox.path),
      );
      return made;
    });
    for (const mailbox of created) this.emit({ accountId, mailboxId: mailbox.id, change: 'created', path: mailbox.path });
    return created[created.length - 1];
  }

  /**
   * Renames a mailbox with its children. Renaming INBOX moves its messages to a new mailbox and leaves INBOX
   * empty (RFC 3501 §6.3.5).
   */
  async rename(accountId: number, from: string, to: string): Promise<Mailbox> {
    const source = normalizeMailboxPath(from);
    const target = newMailboxPath(to);
    if (source === 'INBOX') return this.renameInbox(accountId, target);
    if (target === 'INBOX' || isInside(target, source) || target === source) {
      throw new MailError('CANNOT', `cannot rename "${source}" to "${target}"`);
    }
    const changed = await this.store.transaction(async (manager) => {
      const mailbox = await this.mailboxes.byPath(manager, accountId, source);
      if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${source}" does not exist`);
      if (await this.mailboxes.byPath(manager, accountId, target)) {
        throw new MailError('ALREADYEXISTS', `mailbox "${target}" already exists`);
      }
      const madeParents: string[] = [];
      for (const parent of parentPaths(target)) {
        if (!(await this.mailboxes.byPath(manager, accountId, parent)))
          madeParents.push((await this.mailboxes.insert(manager, accountId, parent, null)).path);
      }
      const all = await this.mailboxes.listOf(manager, accountId);
      const moved = all.filter((candidate) => candidate.path === source || isInside(candidate.path, source));
      // Clients keep their caches by name and UIDVALIDITY: a name that held another mailbox before must not come
      // back with a value it had then (RFC 3501 §2.3.1.1), so each renamed mailbox gets a new, larger one.
      for (const item of moved) {
        item.path = target + item.path.slice(source.length);
        item.uidValidity = await this.mailboxes.renameTo(manager, accountId, item.id, item.path);
      }
      await this.mailboxes.dropDangling(manager, accountId, [...madeParents, ...moved.map((item) => item.path)]);
      return moved;
    });
    for (const mailbox of changed) this.emit({ accountId, mailboxId: mailbox.id, change: 'renamed', path: mailbox.path });
    return changed[0];
  }

  private async renameInbox(accountId: number, target: string): Promise<Mailbox> {
    const created = await this.create(accountId, target);
    const inbox = await this.get(accountId, 'INBOX');
    await this.store.transaction(async (manager) => {
      const rows = await this.repository.summaries(manager, inbox.id);
      if (rows.length === 0) return;
      const allocated = await this.repository.allocate(manager, created.id, rows.length, {
        unseen: rows.filter((row) => !row.seen).length,
        size: rows.reduce((sum, row) => sum + row.size, 0),
      });
      if (!allocated) throw new MailError('NONEXISTENT', `mailbox "${target}" does not exist`);
      const { firstUid, modseq } = allocated;
      const expungeModseq = await this.repository.nextModseq(manager, inbox.id);
      // Re-homing the rows keeps the blob references and quota; only the mailbox, UID and MODSEQ change.
      await this.mailboxes.rehome(manager, accountId, inbox.id, created.id, rows, { firstUid, modseq, expungeModseq });
    });
    this.emit({ accountId, mailboxId: inbox.id, change: 'renamed', path: 'INBOX' });
    return this.getById(accountId, created.id);
  }

  /** Deletes an empty-of-children mailbox and its messages. INBOX cannot be deleted. */
  async delete(accountId: number, path: string): Promise<void> {
    const normalized = normalizeMailboxPath(path);
    if (normalized === 'INBOX') throw new MailError('CANNOT', 'INBOX cannot be deleted');
    const removed = await this.store.transaction(async (manager) => {
      const mailbox = await this.mailboxes.byPath(manager, accountId, normalized);
      if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${normalized}" does not exist`);
      const all = await this.mailboxes.listOf(manager, accountId);
      if (all.some((other) => isInside(other.path, normalized))) {
        throw new MailError('HASCHILDREN', `mailbox "${normalized}" has child mailboxes; delete them first`);
      }
      await this.mailboxes.deleteWithMessages(manager, mailbox);
      // RFC 3501 §6.3.6: the subscription outlives the mailbox.
      if (mailbox.subscribed && (await this.mailboxes.danglingId(manager, accountId, mailbox.path)) === null) {
        await this.mailboxes.insertDangling(manager, accountId, mailbox.path);
      }
      return mailbox;
    });
    this.emit({ accountId, mailboxId: removed.id, change: 'deleted', path: removed.path });
  }

  /**
   * Subscribes to or unsubscribes from a name. A name without a mailbox may be subscribed to as well (RFC 3501
   * §6.3.6), up to MAX_DANGLING_SUBSCRIPTIONS per account.
   */
  async setSubscribed(accountId: number, path: string, subscribed: boolean): Promise<void> {
    const mailbox = await this.find(accountId, path);
    if (mailbox) {
      await this.store.transaction((manager) => this.mailboxes.setSubscribed(manager, mailbox.id, subscribed));
      this.emit({ accountId, mailboxId: mailbox.id, change: 'subscription', path: mailbox.path });
      return;
    }
    const name = subscribed ? newMailboxPath(path) : normalizeMailboxPath(path);
    await this.store.transaction(async (manager) => {
      const existing = await this.mailboxes.danglingId(manager, accountId, name);
      if (!subscribed) {
        if (existing === null) throw new MailError('NONEXISTENT', `"${name}" is not subscribed`);
        await this.mailboxes.deleteDangling(manager, existing);
        return;
      }
      if (existing !== null) return;
      if ((await this.mailboxes.countDangling(manager, accountId)) >= MAX_DANGLING_SUBSCRIPTIONS) {
        throw new MailError('LIMIT', `at most ${MAX_DANGLING_SUBSCRIPTIONS} subscriptions to names without a mailbox`);
      }
      await this.mailboxes.insertDangling(manager, accountId, name);
    });
  }

  /** Subscribed names that have no mailbox, by path. */
  async danglingSubscriptions(accountId: number): Promise<string[]> {
    return (await this.mailboxes.danglingPaths(this.store.reader, accountId)).sort();
  }

  /** Removes every mailbox and message of an account, inside the caller's transaction. */
  async deleteAllOf(manager: StoreTransaction, accountId: number): Promise<void> {
    await this.mailboxes.dropDangling(manager, accountId);
    for (const mailbox of await this.mailboxes.listOf(manager, accountId)) await this.mailboxes.deleteWithMessages(manager, mailbox);
  }

  private emit(event: MailboxChanged): void {
    this.events.emit('mailbox.changed', event);
  }
}

/** INBOX first, then by path, so children follow their parent. */
function comparePaths(a: Mailbox, b: Mailbox): number {
  if (a.path === 'INBOX') return -1;
  if (b.path === 'INBOX') return 1;
  const left = a.path.split(HIERARCHY_DELIMITER);
  const right = b.path.split(HIERARCHY_DELIMITER);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}
