import { Injectable } from '@nestjs/common';
import { MailboxEntity } from '../entities/mailbox.entity.js';
import { MessageEntity } from '../entities/message.entity.js';
import { StoreService } from '../store.service.js';

/** The queries behind MailboxArrivalsService: UIDs above a known one and the mailbox row's \Recent marker. */
@Injectable()
export class MailboxArrivalsRepository {
  constructor(private readonly store: StoreService) {}

  /** How many messages are above the mailbox's \Recent marker (STATUS RECENT). */
  async countRecent(mailbox: Pick<MailboxEntity, 'id' | 'recentUid' | 'uidNext'>): Promise<number> {
    if (mailbox.recentUid >= mailbox.uidNext - 1) return 0;
    return this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.mailboxId = :mailboxId AND m.uid > :uid', { mailboxId: mailbox.id, uid: mailbox.recentUid })
      .getCount();
  }

  /**
   * The UIDs above `uid`, ascending. UIDs are allocated under the mailbox row's lock (MySQL) or by the single
   * writer (SQLite), so they commit in UID order: once a UID is visible here, every lower one that will ever
   * exist is visible too.
   */
  async uidsAbove(mailboxId: number, uid: number): Promise<number[]> {
    const rows = await this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select('m.uid', 'uid')
      .where('m.mailboxId = :mailboxId AND m.uid > :uid', { mailboxId, uid })
      .orderBy('m.uid', 'ASC')
      .getRawMany<{ uid: number | string }>();
    return rows.map((row) => Number(row.uid));
  }

  /**
   * Raises the mailbox's \Recent marker to `upTo` and returns where it was: the caller alone owns the messages
   * in (previous, upTo]. Nothing is written when another session already claimed them.
   */
  async claimRecent(mailboxId: number, upTo: number): Promise<number> {
    const seen = await this.store.reader.findOne(MailboxEntity, { select: { id: true, recentUid: true }, where: { id: mailboxId } });
    if (!seen || seen.recentUid >= upTo) return seen?.recentUid ?? upTo;
    return this.store.transaction(async (manager) => {
      const q = (name: string) => manager.connection.driver.escape(name);
      // The UPDATE comes first so that on MySQL it takes the row lock; the read after it sees the latest value.
      await manager
        .createQueryBuilder()
        .update(MailboxEntity)
        .set({ recentUid: () => q('recentUid') })
        .where('id = :id', { id: mailboxId })
        .execute();
      const locked = await manager.findOne(MailboxEntity, { select: { id: true, recentUid: true }, where: { id: mailboxId } });
      const previous = locked?.recentUid ?? upTo;
      if (previous < upTo) await manager.update(MailboxEntity, { id: mailboxId }, { recentUid: upTo });
      return previous;
    });
  }
}
