import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type FindOptionsSelect } from 'typeorm';
import { AccountEntity } from '../store/entities/account.entity.js';
import { BlobEntity } from '../store/entities/blob.entity.js';
import { ExpungeLogEntity } from '../store/entities/expunge-log.entity.js';
import { MailboxEntity } from '../store/entities/mailbox.entity.js';
import { MessageEntity } from '../store/entities/message.entity.js';

/** Rows per IN (...) list: well under SQLite's and MySQL's parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The columns of a message that listing and synchronisation need, without the cached structure and text. */
export const MESSAGE_SUMMARY_COLUMNS: FindOptionsSelect<MessageEntity> = Object.fromEntries([
  'id', 'accountId', 'mailboxId', 'uid', 'modseq', 'seen', 'answered', 'flagged', 'deleted', 'draft', 'keywords',
  'internalDate', 'size', 'blobId', 'sentDate', 'subject', 'fromAddress', 'messageIdHeader', 'preview', 'hasAttachments',
].map((column) => [column, true]));

export type MessageSummary = Omit<MessageEntity, 'structure' | 'searchText'>;

/**
 * Transactional building blocks of the mail services: every method runs on the caller's transaction, so UIDs,
 * MODSEQs, counters, quota and blob references change together or not at all.
 */
@Injectable()
export class MailRepository {
  /**
   * Reserves `count` UIDs and one new MODSEQ in a mailbox and adds to its counters. The UPDATE comes first so that
   * on MySQL it takes the row lock that serialises concurrent appends; SQLite has a single writer anyway.
   */
  async allocate(manager: EntityManager, mailboxId: number, count: number, added: { unseen: number; size: number }): Promise<{ firstUid: number; modseq: number; uidValidity: number }> {
    const q = (name: string) => manager.connection.driver.escape(name);
    await manager.createQueryBuilder().update(MailboxEntity)
      .set({
        uidNext: () => `${q('uidNext')} + ${count}`,
        highestModseq: () => `${q('highestModseq')} + 1`,
        messageCount: () => `${q('messageCount')} + ${count}`,
        unseenCount: () => `${q('unseenCount')} + ${added.unseen}`,
        totalSize: () => `${q('totalSize')} + ${added.size}`,
      })
      .where('id = :id', { id: mailboxId }).execute();
    const mailbox = await manager.findOneByOrFail(MailboxEntity, { id: mailboxId });
    return { firstUid: mailbox.uidNext - count, modseq: mailbox.highestModseq, uidValidity: mailbox.uidValidity };
  }

  /** A new MODSEQ for a change that adds no message, optionally adjusting counters. */
  async nextModseq(manager: EntityManager, mailboxId: number, delta: { messages?: number; unseen?: number; size?: number } = {}): Promise<number> {
    const q = (name: string) => manager.connection.driver.escape(name);
    await manager.createQueryBuilder().update(MailboxEntity)
      .set({
        highestModseq: () => `${q('highestModseq')} + 1`,
        messageCount: () => `${q('messageCount')} + ${delta.messages ?? 0}`,
        unseenCount: () => `${q('unseenCount')} + ${delta.unseen ?? 0}`,
        totalSize: () => `${q('totalSize')} + ${delta.size ?? 0}`,
      })
      .where('id = :id', { id: mailboxId }).execute();
    const mailbox = await manager.findOneByOrFail(MailboxEntity, { id: mailboxId });
    return mailbox.highestModseq;
  }

  /** Adds `bytes` to the account's usage if the quota allows it; false (and nothing changed) when it does not. */
  async chargeQuota(manager: EntityManager, accountId: number, bytes: number): Promise<boolean> {
    const q = (name: string) => manager.connection.driver.escape(name);
    const result = await manager.createQueryBuilder().update(AccountEntity)
      .set({ usedBytes: () => `${q('usedBytes')} + ${bytes}` })
      .where('id = :id', { id: accountId })
      .andWhere(`(${q('quotaBytes')} = 0 OR ${q('usedBytes')} + :bytes <= ${q('quotaBytes')})`, { bytes })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async releaseQuota(manager: EntityManager, accountId: number, bytes: number): Promise<void> {
    if (bytes === 0) return;
    const q = (name: string) => manager.connection.driver.escape(name);
    await manager.createQueryBuilder().update(AccountEntity)
      .set({ usedBytes: () => `${q('usedBytes')} - ${bytes}` })
      .where('id = :id', { id: accountId }).execute();
  }

  /** Counts `count` more references to a blob, creating its row on first use. */
  async addBlobRefs(manager: EntityManager, blobId: string, size: number, count: number): Promise<void> {
    const q = (name: string) => manager.connection.driver.escape(name);
    await manager.createQueryBuilder().insert().into(BlobEntity)
      .values({ id: blobId, size, refCount: 0, createdAt: Date.now() }).orIgnore().execute();
    await manager.createQueryBuilder().update(BlobEntity)
      .set({ refCount: () => `${q('refCount')} + ${count}` })
      .where('id = :id', { id: blobId }).execute();
  }

  async releaseBlobRefs(manager: EntityManager, blobIds: readonly string[]): Promise<void> {
    const counts = new Map<string, number>();
    for (const id of blobIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    const q = (name: string) => manager.connection.driver.escape(name);
    for (const [id, count] of counts) {
      await manager.createQueryBuilder().update(BlobEntity)
        .set({ refCount: () => `${q('refCount')} - ${count}` })
        .where('id = :id', { id }).execute();
    }
  }

  /**
   * Deletes message rows of one mailbox with all their bookkeeping: counters, quota (unless `keepQuota`, for a
   * move), blob references and, when `logExpunge`, the expunge log entries with `modseq` for QRESYNC.
   */
  async removeRows(manager: EntityManager, mailbox: MailboxEntity, rows: readonly MessageSummary[], modseq: number, options: { logExpunge: boolean; keepQuota?: boolean }): Promise<void> {
    if (rows.length === 0) return;
    for (const part of chunks(rows)) {
      await manager.delete(MessageEntity, { id: In(part.map((row) => row.id)) });
      if (options.logExpunge) {
        await manager.insert(ExpungeLogEntity, part.map((row) => ({
          accountId: mailbox.accountId, mailboxId: mailbox.id, uid: row.uid, modseq, expungedAt: Date.now(), messageId: row.id,
        })));
      }
    }
    const size = rows.reduce((sum, row) => sum + row.size, 0);
    const unseen = rows.filter((row) => !row.seen).length;
    const q = (name: string) => manager.connection.driver.escape(name);
    await manager.createQueryBuilder().update(MailboxEntity)
      .set({
        messageCount: () => `${q('messageCount')} - ${rows.length}`,
        unseenCount: () => `${q('unseenCount')} - ${unseen}`,
        totalSize: () => `${q('totalSize')} - ${size}`,
      })
      .where('id = :id', { id: mailbox.id }).execute();
    if (!options.keepQuota) await this.releaseQuota(manager, mailbox.accountId, size);
    await this.releaseBlobRefs(manager, rows.map((row) => row.blobId));
  }

  async summaries(manager: EntityManager, mailboxId: number, uids?: readonly number[]): Promise<MessageSummary[]> {
    if (!uids) {
      return manager.find(MessageEntity, { select: MESSAGE_SUMMARY_COLUMNS, where: { mailboxId }, order: { uid: 'ASC' } });
    }
    const result: MessageSummary[] = [];
    for (const part of chunks(uids)) {
      result.push(...await manager.find(MessageEntity, { select: MESSAGE_SUMMARY_COLUMNS, where: { mailboxId, uid: In(part) } }));
    }
    return result.sort((a, b) => a.uid - b.uid);
  }
}
