import { Inject, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import type { MailboxChanged } from '../events/mail-events.js';
import { DanglingSubscriptionEntity } from '../store/entities/dangling-subscription.entity.js';
import { MailboxEntity, type SpecialUse } from '../store/entities/mailbox.entity.js';
import type { Mailbox } from './mailbox.js';
import { StoreService } from '../store/store.service.js';
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
    @Inject(EVENT_BUS) private readonly events: EventBus,
  ) {}

  async createDefaultMailboxes(manager: EntityManager, accountId: number): Promise<void> {
    for (const { path, specialUse } of DEFAULT_MAILBOXES) await this.insert(manager, accountId, path, specialUse);
  }

  async list(accountId: number): Promise<Mailbox[]> {
    const mailboxes = await this.store.reader.find(MailboxEntity, { where: { accountId } });
    return mailboxes.sort(comparePaths);
  }

  async find(accountId: number, path: string): Promise<Mailbox | null> {
    let normalized: string;
    try {
      normalized = normalizeMailboxPath(path);
    } catch {
      return null;
    }
    return this.store.reader.findOneBy(MailboxEntity, { accountId, path: normalized });
  }

  async get(accountId: number, path: string): Promise<Mailbox> {
    const mailbox = await this.find(accountId, path);
    if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${path}" does not exist`);
    return mailbox;
  }

  /** By id, and only if it belongs to the account. */
  async getById(accountId: number, mailboxId: number): Promise<Mailbox> {
    const mailbox = await this.store.reader.findOneBy(MailboxEntity, { id: mailboxId, accountId });
    if (!mailbox) throw new MailError('NONEXISTENT', 'mailbox does not exist');
    return mailbox;
  }

  async getBySpecialUse(accountId: number, specialUse: SpecialUse): Promise<Mailbox | null> {
    return this.store.reader.findOneBy(MailboxEntity, { accountId, specialUse });
  }

  /** Creates a mailbox and any missing parents (RFC 3501 §6.3.3). */
  async create(accountId: number, path: string, specialUse: SpecialUse | null = null): Promise<Mailbox> {
    const normalized = newMailboxPath(path);
    const created = await this.store.transaction(async (manager) => {
      if (await manager.findOneBy(MailboxEntity, { accountId, path: normalized })) {
        throw new MailError('ALREADYEXISTS', `mailbox "${normalized}" already exists`);
      }
      const made: MailboxEntity[] = [];
      for (const parent of parentPaths(normalized)) {
        if (!await manager.findOneBy(MailboxEntity, { accountId, path: parent })) made.push(await this.insert(manager, accountId, parent, null));
      }
      made.push(await this.insert(manager, accountId, normalized, specialUse));
      await this.dropDangling(manager, accountId, made.map((mailbox) => mailbox.path));
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
      const mailbox = await manager.findOneBy(MailboxEntity, { accountId, path: source });
      if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${source}" does not exist`);
      if (await manager.findOneBy(MailboxEntity, { accountId, path: target })) {
        throw new MailError('ALREADYEXISTS', `mailbox "${target}" already exists`);
      }
      const madeParents: string[] = [];
      for (const parent of parentPaths(target)) {
        if (!await manager.findOneBy(MailboxEntity, { accountId, path: parent })) madeParents.push((await this.insert(manager, accountId, parent, null)).path);
      }
      const all = await manager.find(MailboxEntity, { where: { accountId } });
      const moved = all.filter((candidate) => candidate.path === source || isInside(candidate.path, source));
      // Clients keep their caches by name and UIDVALIDITY: a name that held another mailbox before must not come
      // back with a value it had then (RFC 3501 §2.3.1.1), so each renamed mailbox gets a new, larger one.
      for (const item of moved) {
        item.path = target + item.path.slice(source.length);
        item.uidValidity = await this.repository.nextUidValidity(manager, accountId);
        await manager.update(MailboxEntity, { id: item.id }, { path: item.path, uidValidity: item.uidValidity });
      }
      await this.dropDangling(manager, accountId, [...madeParents, ...moved.map((item) => item.path)]);
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
        unseen: rows.filter((row) => !row.seen).length, size: rows.reduce((sum, row) => sum + row.size, 0),
      });
      if (!allocated) throw new MailError('NONEXISTENT', `mailbox "${target}" does not exist`);
      const { firstUid, modseq } = allocated;
      const expungeModseq = await this.repository.nextModseq(manager, inbox.id);
      const q = (name: string) => manager.connection.driver.escape(name);
      // Re-homing the rows keeps the blob references and quota; only the mailbox, UID and MODSEQ change.
      for (const [i, row] of rows.entries()) {
        await manager.createQueryBuilder().update('messages')
          .set({ mailboxId: created.id, uid: firstUid + i, modseq })
          .where(`${q('id')} = :id`, { id: row.id }).execute();
      }
      await manager.createQueryBuilder().update(MailboxEntity)
        .set({ messageCount: 0, unseenCount: 0, totalSize: 0 }).where('id = :id', { id: inbox.id }).execute();
      await manager.createQueryBuilder().insert().into('expunge_log').values(rows.map((row) => ({
        accountId, mailboxId: inbox.id, uid: row.uid, modseq: expungeModseq, expungedAt: Date.now(),
      }))).execute();
    });
    this.emit({ accountId, mailboxId: inbox.id, change: 'renamed', path: 'INBOX' });
    return this.getById(accountId, created.id);
  }

  /** Deletes an empty-of-children mailbox and its messages. INBOX cannot be deleted. */
  async delete(accountId: number, path: string): Promise<void> {
    const normalized = normalizeMailboxPath(path);
    if (normalized === 'INBOX') throw new MailError('CANNOT', 'INBOX cannot be deleted');
    const removed = await this.store.transaction(async (manager) => {
      const mailbox = await manager.findOneBy(MailboxEntity, { accountId, path: normalized });
      if (!mailbox) throw new MailError('NONEXISTENT', `mailbox "${normalized}" does not exist`);
      const all = await manager.find(MailboxEntity, { where: { accountId } });
      if (all.some((other) => isInside(other.path, normalized))) {
        throw new MailError('HASCHILDREN', `mailbox "${normalized}" has child mailboxes; delete them first`);
      }
      const rows = await this.repository.summaries(manager, mailbox.id);
      await this.repository.removeRows(manager, mailbox, rows, mailbox.highestModseq, { logExpunge: false });
      await manager.delete('expunge_log', { mailboxId: mailbox.id });
      await manager.delete(MailboxEntity, { id: mailbox.id });
      // RFC 3501 §6.3.6: the subscription outlives the mailbox.
      if (mailbox.subscribed && !await manager.existsBy(DanglingSubscriptionEntity, { accountId, path: mailbox.path })) {
        await manager.insert(DanglingSubscriptionEntity, { accountId, path: mailbox.path });
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
      await this.store.transaction((manager) => manager.update(MailboxEntity, { id: mailbox.id }, { subscribed }));
      this.emit({ accountId, mailboxId: mailbox.id, change: 'subscription', path: mailbox.path });
      return;
    }
    const name = subscribed ? newMailboxPath(path) : normalizeMailboxPath(path);
    await this.store.transaction(async (manager) => {
      const existing = await manager.findOneBy(DanglingSubscriptionEntity, { accountId, path: name });
      if (!subscribed) {
        if (!existing) throw new MailError('NONEXISTENT', `"${name}" is not subscribed`);
        await manager.delete(DanglingSubscriptionEntity, { id: existing.id });
        return;
      }
      if (existing) return;
      if (await manager.countBy(DanglingSubscriptionEntity, { accountId }) >= MAX_DANGLING_SUBSCRIPTIONS) {
        throw new MailError('LIMIT', `at most ${MAX_DANGLING_SUBSCRIPTIONS} subscriptions to names without a mailbox`);
      }
      await manager.insert(DanglingSubscriptionEntity, { accountId, path: name });
    });
  }

  /** Subscribed names that have no mailbox, by path. */
  async danglingSubscriptions(accountId: number): Promise<string[]> {
    const rows = await this.store.reader.find(DanglingSubscriptionEntity, { where: { accountId } });
    return rows.map((row) => row.path).sort();
  }

  private async dropDangling(manager: EntityManager, accountId: number, paths: readonly string[]): Promise<void> {
    if (paths.length > 0) await manager.delete(DanglingSubscriptionEntity, { accountId, path: In([...paths]) });
  }

  /** Removes every mailbox and message of an account, inside the caller's transaction. */
  async deleteAllOf(manager: EntityManager, accountId: number): Promise<void> {
    await manager.delete(DanglingSubscriptionEntity, { accountId });
    for (const mailbox of await manager.find(MailboxEntity, { where: { accountId } })) {
      const rows = await this.repository.summaries(manager, mailbox.id);
      await this.repository.removeRows(manager, mailbox, rows, mailbox.highestModseq, { logExpunge: false });
      await manager.delete('expunge_log', { mailboxId: mailbox.id });
      await manager.delete(MailboxEntity, { id: mailbox.id });
    }
  }

  private async insert(manager: EntityManager, accountId: number, path: string, specialUse: SpecialUse | null): Promise<Mailbox> {
    return manager.save(manager.create(MailboxEntity, {
      accountId, path, specialUse, subscribed: true, uidValidity: await this.repository.nextUidValidity(manager, accountId), uidNext: 1,
      highestModseq: 1, messageCount: 0, unseenCount: 0, totalSize: 0, createdAt: Date.now(),
    }));
  }

  private emit(event: MailboxChanged): void {
    this.events.emit('mailbox.changed', event);
  }
}

/** INBOX first, then by path, so children follow their parent. */
function comparePaths(a: MailboxEntity, b: MailboxEntity): number {
  if (a.path === 'INBOX') return -1;
  if (b.path === 'INBOX') return 1;
  const left = a.path.split(HIERARCHY_DELIMITER);
  const right = b.path.split(HIERARCHY_DELIMITER);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}
