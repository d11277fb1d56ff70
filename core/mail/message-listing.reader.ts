import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StoreService } from '../store/store.service.js';
import type { MessageFlagRow } from './message.service.js';

/**
 * Whole-mailbox listings for IMAP (SELECT, FETCH of flags and sizes, flag searches) read with narrow raw SELECTs
 * served by the covering index IDX_messages_imap_listing, so their cost follows the number of messages and not the
 * size of the rows (which hold the cached structure and search text). Keywords are read separately, only for the
 * messages that have any.
 */
@Injectable()
export class MessageListingReader {
  constructor(private readonly store: StoreService) {}

  /** UIDs in ascending order and the index of the first message without \Seen (-1: none). */
  async openState(mailboxId: number): Promise<{ uids: number[]; firstUnseenIndex: number }> {
    const manager = this.store.reader;
    const q = quoter(manager);
    const rows = await manager.query<{ uid: number | string; seen: number | boolean }[]>(
      `SELECT ${q('uid')} AS uid, ${q('seen')} AS seen FROM ${q('messages')} WHERE ${q('mailboxId')} = ? ORDER BY ${q('uid')}`,
      [mailboxId],
    );
    const uids = new Array<number>(rows.length);
    let firstUnseenIndex = -1;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      uids[i] = Number(row.uid);
      if (firstUnseenIndex < 0 && !Number(row.seen)) firstUnseenIndex = i;
    }
    return { uids, firstUnseenIndex };
  }

  /** Flag state, MODSEQ, size, dates and blob of a mailbox's messages (optionally within a UID range), in UID order. */
  async flagRows(mailboxId: number, range?: { from: number; to: number }): Promise<MessageFlagRow[]> {
    const manager = this.store.reader;
    const q = quoter(manager);
    const within = range ? ` AND ${q('uid')} >= ? AND ${q('uid')} <= ?` : '';
    const params = range ? [mailboxId, range.from, range.to] : [mailboxId];
    const rows = await manager.query<Record<string, string | number>[]>(
      `SELECT ${['uid', 'modseq', 'seen', 'answered', 'flagged', 'deleted', 'draft', 'size', 'internalDate', 'sentDate', 'blobId'].map((column) => `${q(column)} AS ${column}`).join(', ')}`
      + ` FROM ${q('messages')} WHERE ${q('mailboxId')} = ?${within} ORDER BY ${q('uid')}`,
      params,
    );
    const keywords = await this.keywords(manager, mailboxId, within, params);
    const result = new Array<MessageFlagRow>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const uid = Number(row.uid);
      result[i] = {
        uid, modseq: Number(row.modseq), seen: Boolean(Number(row.seen)), answered: Boolean(Number(row.answered)),
        flagged: Boolean(Number(row.flagged)), deleted: Boolean(Number(row.deleted)), draft: Boolean(Number(row.draft)),
        keywords: keywords.get(uid) ?? [], size: Number(row.size), internalDate: Number(row.internalDate),
        sentDate: Number(row.sentDate), blobId: String(row.blobId),
      };
    }
    return result;
  }

  /** Keywords of the messages that have any: a range scan of IDX_messages_keywords over the lists starting `["`. */
  private async keywords(manager: EntityManager, mailboxId: number, within: string, params: number[]): Promise<Map<number, string[]>> {
    const q = quoter(manager);
    // A non-empty list is JSON `["...`; on SQLite (binary collation) those sort between `["` and `[]`, on MySQL a
    // LIKE with that prefix is a range on the prefix index.
    const nonEmpty = isSqlite(manager) ? `${q('keywords')} >= '["' AND ${q('keywords')} < '[]'` : `${q('keywords')} LIKE '["%'`;
    const rows = await manager.query<{ uid: number | string; keywords: string }[]>(
      `SELECT ${q('uid')} AS uid, ${q('keywords')} AS keywords FROM ${q('messages')} WHERE ${q('mailboxId')} = ? AND ${nonEmpty}${within}`,
      params,
    );
    return new Map(rows.map((row) => [Number(row.uid), JSON.parse(row.keywords) as string[]]));
  }
}

function isSqlite(manager: EntityManager): boolean {
  return manager.connection.driver.options.type === 'better-sqlite3';
}

function quoter(manager: EntityManager): (name: string) => string {
  return (name) => manager.connection.driver.escape(name);
}
