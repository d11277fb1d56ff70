import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { Mailbox, SpecialUse } from '../../mail/mailbox.js';
import type { MessageSummary } from '../../mail/message-summary.js';
import { DanglingSubscriptionEntity } from '../entities/dangling-subscription.entity.js';
import { MailboxEntity } from '../entities/mailbox.entity.js';
import { MailRepository } from './mail.repository.js';

/**
 * The `mailboxes` and `dangling_subscriptions` tables. Operations take the manager of the caller's transaction (or
 * the store's reader). Deleting a mailbox removes its messages through MailRepository.removeRows, which releases
 * their blob references, quota and counters in the same transaction.
 */
@Injectable()
export class MailboxRepository {
  constructor(private readonly mail: MailRepository) {}

  listOf(manager: EntityManager, accountId: number): Promise<Mailbox[]> {
    return manager.find(MailboxEntity, { where: { accountId } });
  }

  byPath(manager: EntityManager, accountId: number, path: string): Promise<Mailbox | null> {
    return manager.findOneBy(MailboxEntity, { accountId, path });
  }

  byId(manager: EntityManager, accountId: number, id: number): Promise<Mailbox | null> {
    return manager.findOneBy(MailboxEntity, { id, accountId });
  }

  bySpecialUse(manager: EntityManager, accountId: number, specialUse: SpecialUse): Promise<Mailbox | null> {
    return manager.findOneBy(MailboxEntity, { accountId, specialUse });
  }

  /** A new, empty, subscribed mailbox with the account's next UIDVALIDITY. */
  async insert(manager: EntityManager, accountId: number, path: string, specialUse: SpecialUse | null): Promise<Mailbox> {
    return manager.save(
      manager.create(MailboxEntity, {
        accountId,
        path,
        specialUse,
        subscribed: true,
        uidValidity: await this.mail.nextUidValidity(manager, accountId),
        uidNext: 1,
        highestModseq: 1,
        messageCount: 0,
        unseenCount: 0,
        totalSize: 0,
        createdAt: Date.now(),
      }),
    );
  }

  /** Gives the mailbox a new path and the account's next UIDVALIDITY (RFC 3501 §2.3.1.1); returns that value. */
  async renameTo(manager: EntityManager, accountId: number, mailboxId: number, path: string): Promise<number> {
    const uidValidity = await this.mail.nextUidValidity(manager, accountId);
    await manager.update(MailboxEntity, { id: mailboxId }, { path, uidValidity });
    return uidValidity;
  }

  async setSubscribed(manager: EntityManager, mailboxId: number, subscribed: boolean): Promise<void> {
    await manager.update(MailboxEntity, { id: mailboxId }, { subscribed });
  }

  /**
   * Moves every row of `source` to `target` under new UIDs from `firstUid` with `modseq`, logs them as expunged from
   * `source` at `expungeModseq` and empties its counters. The blob references and quota stay: the messages remain.
   * The target's counters were raised by its allocation.
   */
  async rehome(
    manager: EntityManager,
    accountId: number,
    source: number,
    target: number,
    rows: readonly MessageSummary[],
    placement: { firstUid: number; modseq: number; expungeModseq: number },
  ): Promise<void> {
    const q = (name: string) => manager.connection.driver.escape(name);
    for (const [i, row] of rows.entries()) {
      await manager
        .createQueryBuilder()
        .update('messages')
        .set({ mailboxId: target, uid: placement.firstUid + i, modseq: placement.modseq })
        .where(`${q('id')} = :id`, { id: row.id })
        .execute();
    }
    await manager
      .createQueryBuilder()
      .update(MailboxEntity)
      .set({ messageCount: 0, unseenCount: 0, totalSize: 0 })
      .where('id = :id', { id: source })
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into('expunge_log')
      .values(
        rows.map((row) => ({
          accountId,
          mailboxId: source,
          uid: row.uid,
          modseq: placement.expungeModseq,
          expungedAt: Date.now(),
        })),
      )
      .execute();
  }

  /** Deletes the mailbox with its messages (their blob references and quota released) and its expunge log. */
  async deleteWithMessages(manager: EntityManager, mailbox: Mailbox): Promise<void> {
    const rows = await this.mail.summaries(manager, mailbox.id);
    await this.mail.removeRows(manager, mailbox as MailboxEntity, rows, mailbox.highestModseq, { logExpunge: false });
    await manager.delete('expunge_log', { mailboxId: mailbox.id });
    await manager.delete(MailboxEntity, { id: mailbox.id });
  }

  /** The id of the account's subscription to a name without a mailbox, or null. */
  async danglingId(manager: EntityManager, accountId: number, path: string): Promise<number | null> {
    return (await manager.findOneBy(DanglingSubscriptionEntity, { accountId, path }))?.id ?? null;
  }

  countDangling(manager: EntityManager, accountId: number): Promise<number> {
    return manager.countBy(DanglingSubscriptionEntity, { accountId });
  }

  async insertDangling(manager: EntityManager, accountId: number, path: string): Promise<void> {
    await manager.insert(DanglingSubscriptionEntity, { accountId, path });
  }

  async deleteDangling(manager: EntityManager, id: number): Promise<void> {
    await manager.delete(DanglingSubscriptionEntity, { id });
  }

  /** Drops the account's subscriptions to these names (they have a mailbox again), or to every name without paths. */
  async dropDangling(manager: EntityManager, accountId: number, paths?: readonly string[]): Promise<void> {
    if (paths === undefined) await manager.delete(DanglingSubscriptionEntity, { accountId });
    else if (paths.length > 0) await manager.delete(DanglingSubscriptionEntity, { accountId, path: In([...paths]) });
  }

  async danglingPaths(manager: EntityManager, accountId: number): Promise<string[]> {
    return (await manager.find(DanglingSubscriptionEntity, { where: { accountId } })).map((row) => row.path);
  }
}
