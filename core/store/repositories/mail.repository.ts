import { Injectable } from '@nestjs/common';
import { In, MoreThan, type EntityManager } from 'typeorm';
import { ExpungeLogEntity } from '../entities/expunge-log.entity.js';
import { MailboxEntity } from '../entities/mailbox.entity.js';
import { MessageEntity } from '../entities/message.entity.js';
import { isMysql, sqlAll, sqlFeatures, sqlOne, sqlRun } from '../raw-sql.js';
import { MESSAGE_DETAIL_COLUMNS, MESSAGE_INSERT_FIELDS, MESSAGE_SUMMARY_COLUMNS } from './message-columns.js';

/** Rows per IN (...) list: well under SQLite's and MySQL's parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

import type { MessageSummary } from '../../mail/message-summary.js';

export type { MessageSummary };

const MESSAGE_INSERT_PREFIX = `INSERT INTO \`messages\` (${MESSAGE_INSERT_FIELDS.map((column) => `\`${column}\``).join(', ')}) VALUES `;
const MESSAGE_VALUES = `(${MESSAGE_INSERT_FIELDS.map(() => '?').join(', ')})`;
const MESSAGE_INSERT = MESSAGE_INSERT_PREFIX + MESSAGE_VALUES;
/** Bytes of text one multi-row INSERT carries at most: well under MySQL's default max_allowed_packet (16 MiB). */
const MULTI_INSERT_BYTES = 4 * 1024 * 1024;

export interface MailboxCounters {
  uidNext: number;
  highestModseq: number;
  uidValidity: number;
}

/** What filing `count` messages adds to one mailbox. */
export interface MailboxAllocation {
  mailboxId: number;
  count: number;
  unseen: number;
  size: number;
}

/**
 * Transactional building blocks of the mail services: every method runs on the caller's transaction, so UIDs,
 * MODSEQs, counters, quota and blob references change together or not at all.
 */
@Injectable()
export class MailRepository {
  /**
   * Reserves `count` UIDs and one new MODSEQ in a mailbox of the account and adds to its counters; null when the
   * account has no such mailbox. The UPDATE comes first so that on MySQL it takes the row lock that serialises
   * concurrent appends; SQLite has a single writer anyway.
   */
  async allocate(
    manager: EntityManager,
    mailboxId: number,
    count: number,
    added: { unseen: number; size: number },
    accountId?: number,
  ): Promise<{ firstUid: number; modseq: number; uidValidity: number } | null> {
    if (!(await this.allocateOnly(manager, mailboxId, count, added, accountId))) return null;
    const row = await this.counters(manager, mailboxId);
    return { firstUid: row.uidNext - count, modseq: row.highestModseq, uidValidity: row.uidValidity };
  }

  private async allocateOnly(
    manager: EntityManager,
    mailboxId: number,
    count: number,
    added: { unseen: number; size: number },
    accountId?: number,
  ): Promise<boolean> {
    const { changes } = await sqlRun(
      manager,
      'UPDATE `mailboxes` SET `uidNext` = `uidNext` + ?, `highestModseq` = `highestModseq` + 1, `messageCount` = `messageCount` + ?, ' +
        '`unseenCount` = `unseenCount` + ?, `totalSize` = `totalSize` + ? WHERE `id` = ? AND (? IS NULL OR `accountId` = ?)',
      [count, count, added.unseen, added.size, mailboxId, accountId ?? null, accountId ?? null],
    );
    return changes > 0;
  }

  /**
   * A UIDVALIDITY for a new mailbox of the account, above every value it ever gave one, deleted mailboxes included,
   * so that a name deleted and made again (or renamed onto) within one second differs and grows (RFC 3501 §2.3.1.1):
   * seconds since the epoch, or the account's last value plus one. The UPDATE's row lock orders concurrent
   * creations on every node.
   */
  async nextUidValidity(manager: EntityManager, accountId: number): Promise<number> {
    const now = Math.floor(Date.now() / 1000);
    await sqlRun(
      manager,
      'UPDATE `accounts` SET `lastUidValidity` = CASE WHEN `lastUidValidity` >= ? THEN `lastUidValidity` + 1 ELSE ? END WHERE `id` = ?',
      [now, now, accountId],
    );
    const row = await sqlOne<{ lastUidValidity: number | string }>(manager, 'SELECT `lastUidValidity` FROM `accounts` WHERE `id` = ?', [
      accountId,
    ]);
    if (!row) throw new Error(`account ${accountId} does not exist`);
    return Number(row.lastUidValidity);
  }

  /** A new MODSEQ for a change that adds no message, optionally adjusting counters. */
  /**
   * Takes the mailbox row's lock for the rest of the transaction (MySQL; SQLite has a single writer), before a change
   * reads the messages it changes: concurrent changes of one mailbox then each see the ones committed before them,
   * and commit in MODSEQ order. Taken first in the transaction, so its reads are not from an older snapshot.
   */
  async lockMailbox(manager: EntityManager, mailboxId: number): Promise<void> {
    if (isMysql(manager)) await sqlOne(manager, 'SELECT `id` FROM `mailboxes` WHERE `id` = ? FOR UPDATE', [mailboxId]);
  }

  async nextModseq(
    manager: EntityManager,
    mailboxId: number,
    delta: { messages?: number; unseen?: number; size?: number } = {},
  ): Promise<number> {
    await sqlRun(
      manager,
      'UPDATE `mailboxes` SET `highestModseq` = `highestModseq` + 1, `messageCount` = `messageCount` + ?, ' +
        '`unseenCount` = `unseenCount` + ?, `totalSize` = `totalSize` + ? WHERE `id` = ?',
      [delta.messages ?? 0, delta.unseen ?? 0, delta.size ?? 0, mailboxId],
    );
    return (await this.counters(manager, mailboxId)).highestModseq;
  }

  private async counters(manager: EntityManager, mailboxId: number): Promise<MailboxCounters> {
    const row = await sqlOne<Record<'uidNext' | 'highestModseq' | 'uidValidity', number | string>>(
      manager,
      'SELECT `uidNext`, `highestModseq`, `uidValidity` FROM `mailboxes` WHERE `id` = ?',
      [mailboxId],
    );
    if (!row) throw new Error(`mailbox ${mailboxId} vanished inside its transaction`);
    return { uidNext: Number(row.uidNext), highestModseq: Number(row.highestModseq), uidValidity: Number(row.uidValidity) };
  }

  /** Adds `bytes` to the account's usage if the quota allows it; false (and nothing changed) when it does not. */
  async chargeQuota(manager: EntityManager, accountId: number, bytes: number): Promise<boolean> {
    const { changes } = await sqlRun(
      manager,
      'UPDATE `accounts` SET `usedBytes` = `usedBytes` + ? WHERE `id` = ? AND (`quotaBytes` = 0 OR `usedBytes` + ? <= `quotaBytes`)',
      [bytes, accountId, bytes],
    );
    return changes > 0;
  }

  /**
   * `chargeQuota` for `bytes` plus `allocate` in each of the account's `mailboxes`, in one statement on MySQL (a
   * multi-table UPDATE, which updates the account row once however many of its mailboxes it joins). False when the
   * quota does not allow it or a mailbox is not the account's; the caller then rolls the transaction back (on SQLite,
   * where the statements run one by one, some of them may have been applied). `countersOf` then gives the UIDs.
   */
  async chargeAndAllocate(
    manager: EntityManager,
    accountId: number,
    bytes: number,
    mailboxes: readonly MailboxAllocation[],
  ): Promise<boolean> {
    if (mailboxes.length === 0) return this.chargeQuota(manager, accountId, bytes);
    if (!isMysql(manager)) {
      if (!(await this.chargeQuota(manager, accountId, bytes))) return false;
      for (const { mailboxId, count, unseen, size } of mailboxes) {
        if (!(await this.allocateOnly(manager, mailboxId, count, { unseen, size }, accountId))) return false;
      }
      return true;
    }
    const byMailbox = (column: 'count' | 'unseen' | 'size') => ({
      sql: `CASE \`m\`.\`id\` ${mailboxes.map(() => 'WHEN ? THEN ?').join(' ')} END`,
      params: mailboxes.flatMap((mailbox) => [mailbox.mailboxId, mailbox[column]]),
    });
    const [count, unseen, size] = [byMailbox('count'), byMailbox('unseen'), byMailbox('size')];
    const { changes } = await sqlRun(
      manager,
      'UPDATE `accounts` AS `a` JOIN `mailboxes` AS `m` ON `m`.`accountId` = `a`.`id` SET `a`.`usedBytes` = `a`.`usedBytes` + ?, ' +
        `\`m\`.\`uidNext\` = \`m\`.\`uidNext\` + ${count.sql}, \`m\`.\`highestModseq\` = \`m\`.\`highestModseq\` + 1, ` +
        `\`m\`.\`messageCount\` = \`m\`.\`messageCount\` + ${count.sql}, \`m\`.\`unseenCount\` = \`m\`.\`unseenCount\` + ${unseen.sql}, ` +
        `\`m\`.\`totalSize\` = \`m\`.\`totalSize\` + ${size.sql} ` +
        `WHERE \`a\`.\`id\` = ? AND \`m\`.\`id\` IN (${mailboxes.map(() => '?').join(', ')}) ` +
        'AND (`a`.`quotaBytes` = 0 OR `a`.`usedBytes` + ? <= `a`.`quotaBytes`)',
      [
        bytes,
        ...count.params,
        ...count.params,
        ...unseen.params,
        ...size.params,
        accountId,
        ...mailboxes.map((mailbox) => mailbox.mailboxId),
        bytes,
      ],
    );
    // Rows matched: the account once, each mailbox once. Fewer means the quota refused (0) or a mailbox is missing;
    // the WHERE is checked per joined row, so a partial match is possible and is refused as a whole too.
    return changes === 1 + mailboxes.length;
  }

  /** UIDNEXT, HIGHESTMODSEQ and UIDVALIDITY of several mailboxes, read in the caller's transaction. */
  async countersOf(manager: EntityManager, mailboxIds: readonly number[]): Promise<Map<number, MailboxCounters>> {
    const result = new Map<number, MailboxCounters>();
    for (const part of chunks(mailboxIds)) {
      const rows = await sqlAll<Record<'id' | 'uidNext' | 'highestModseq' | 'uidValidity', number | string>>(
        manager,
        `SELECT \`id\`, \`uidNext\`, \`highestModseq\`, \`uidValidity\` FROM \`mailboxes\` WHERE \`id\` IN (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const row of rows) {
        result.set(Number(row.id), {
          uidNext: Number(row.uidNext),
          highestModseq: Number(row.highestModseq),
          uidValidity: Number(row.uidValidity),
        });
      }
    }
    return result;
  }

  async releaseQuota(manager: EntityManager, accountId: number, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await sqlRun(manager, 'UPDATE `accounts` SET `usedBytes` = `usedBytes` - ? WHERE `id` = ?', [bytes, accountId]);
  }

  /** Counts `count` more references to a blob, creating its row on first use. */
  async addBlobRefs(manager: EntityManager, blobId: string, size: number, count: number): Promise<void> {
    await this.addManyBlobRefs(manager, [{ blobId, size, count }]);
  }

  /**
   * `addBlobRefs` for several blobs in one statement. Rows are taken in id order, so that two transactions adding
   * references to the same blobs lock them in the same order and cannot deadlock.
   */
  async addManyBlobRefs(manager: EntityManager, refs: readonly { blobId: string; size: number; count: number }[]): Promise<void> {
    if (refs.length === 0) return;
    const upsert = isMysql(manager)
      ? 'ON DUPLICATE KEY UPDATE `refCount` = `refCount` + VALUES(`refCount`)'
      : 'ON CONFLICT (`id`) DO UPDATE SET `refCount` = `refCount` + excluded.`refCount`';
    const now = Date.now();
    const sorted = [...refs].sort((a, b) => (a.blobId < b.blobId ? -1 : a.blobId > b.blobId ? 1 : 0));
    await sqlRun(
      manager,
      `INSERT INTO \`blobs\` (\`id\`, \`size\`, \`refCount\`, \`createdAt\`) VALUES ${sorted.map(() => '(?, ?, ?, ?)').join(', ')} ${upsert}`,
      sorted.flatMap((ref) => [ref.blobId, ref.size, ref.count, now]),
    );
  }

  /** One reference less per occurrence of an id in `blobIds`, times `each`. */
  async releaseBlobRefs(manager: EntityManager, blobIds: readonly string[], each = 1): Promise<void> {
    const counts = new Map<string, number>();
    for (const id of blobIds) counts.set(id, (counts.get(id) ?? 0) + each);
    for (const [id, count] of counts) {
      await sqlRun(manager, 'UPDATE `blobs` SET `refCount` = `refCount` - ? WHERE `id` = ?', [count, id]);
    }
  }

  /** Inserts one message row; returns its id. */
  async insertMessage(manager: EntityManager, row: Omit<MessageEntity, 'id'>): Promise<number> {
    const { insertId } = await sqlRun(manager, MESSAGE_INSERT, messageValues(row));
    return insertId;
  }

  /**
   * Inserts message rows with as few statements as their size allows (a batch of deliveries) and returns their ids
   * in the order of `rows`. Where the database has INSERT ... RETURNING (SQLite, MariaDB) the ids come with the
   * INSERT; on MySQL those of multi-row INSERTs are read back by (mailbox, UID) afterwards, because such an INSERT
   * reports only the first id and the others need not follow it (interleaved auto-increment, auto_increment_increment).
   */
  async insertMessages(manager: EntityManager, rows: readonly Omit<MessageEntity, 'id'>[]): Promise<number[]> {
    const { insertReturning } = await sqlFeatures(manager);
    const ids = new Map<string, number>();
    let part: Omit<MessageEntity, 'id'>[] = [];
    let values: (string | number | null)[] = [];
    const flush = async () => {
      if (part.length === 0) return;
      const sql = MESSAGE_INSERT_PREFIX + part.map(() => MESSAGE_VALUES).join(', ');
      if (insertReturning) {
        const returned = await sqlAll<Record<'id' | 'mailboxId' | 'uid', number | string>>(
          manager,
          `${sql} RETURNING \`id\`, \`mailboxId\`, \`uid\``,
          values,
        );
        for (const row of returned) ids.set(`${row.mailboxId} ${row.uid}`, Number(row.id));
      } else {
        const { insertId } = await sqlRun(manager, sql, values);
        // One row's id is the one MySQL reports.
        if (part.length === 1) ids.set(`${part[0].mailboxId} ${part[0].uid}`, insertId);
      }
      part = [];
      values = [];
    };
    let bytes = 0;
    for (const row of rows) {
      const rowValues = messageValues(row);
      const size = rowValues.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length : 8), 0);
      if (bytes + size > MULTI_INSERT_BYTES) {
        await flush();
        bytes = 0;
      }
      part.push(row);
      values.push(...rowValues);
      bytes += size;
    }
    await flush();
    if (ids.size < rows.length)
      await this.readBackIds(
        manager,
        rows.filter((row) => !ids.has(`${row.mailboxId} ${row.uid}`)),
        ids,
      );
    return rows.map((row) => {
      const id = ids.get(`${row.mailboxId} ${row.uid}`);
      if (id === undefined) throw new Error(`message ${row.uid} of mailbox ${row.mailboxId} vanished inside its transaction`);
      return id;
    });
  }

  /** Ids of just inserted rows by (mailbox, UID), one statement for all their mailboxes' UID ranges. */
  private async readBackIds(manager: EntityManager, rows: readonly Omit<MessageEntity, 'id'>[], ids: Map<string, number>): Promise<void> {
    const ranges = new Map<number, { first: number; last: number }>();
    for (const { mailboxId, uid } of rows) {
      const range = ranges.get(mailboxId);
      if (range) {
        range.first = Math.min(range.first, uid);
        range.last = Math.max(range.last, uid);
      } else {
        ranges.set(mailboxId, { first: uid, last: uid });
      }
    }
    for (const part of chunks([...ranges])) {
      const found = await sqlAll<Record<'id' | 'mailboxId' | 'uid', number | string>>(
        manager,
        `SELECT \`id\`, \`mailboxId\`, \`uid\` FROM \`messages\` WHERE ${part.map(() => '(`mailboxId` = ? AND `uid` BETWEEN ? AND ?)').join(' OR ')}`,
        part.flatMap(([mailboxId, { first, last }]) => [mailboxId, first, last]),
      );
      for (const row of found) ids.set(`${row.mailboxId} ${row.uid}`, Number(row.id));
    }
  }

  /**
   * Deletes message rows of one mailbox with all their bookkeeping: counters, quota (unless `keepQuota`, for a
   * move), blob references and, when `logExpunge`, the expunge log entries with `modseq` for QRESYNC.
   */
  async removeRows(
    manager: EntityManager,
    mailbox: MailboxEntity,
    rows: readonly MessageSummary[],
    modseq: number,
    options: { logExpunge: boolean; keepQuota?: boolean },
  ): Promise<void> {
    if (rows.length === 0) return;
    for (const part of chunks(rows)) {
      await manager.delete(MessageEntity, { id: In(part.map((row) => row.id)) });
      if (options.logExpunge) {
        await manager.insert(
          ExpungeLogEntity,
          part.map((row) => ({
            accountId: mailbox.accountId,
            mailboxId: mailbox.id,
            uid: row.uid,
            modseq,
            expungedAt: Date.now(),
            messageId: row.id,
          })),
        );
      }
    }
    const size = rows.reduce((sum, row) => sum + row.size, 0);
    const unseen = rows.filter((row) => !row.seen).length;
    await sqlRun(
      manager,
      'UPDATE `mailboxes` SET `messageCount` = `messageCount` - ?, `unseenCount` = `unseenCount` - ?, `totalSize` = `totalSize` - ? WHERE `id` = ?',
      [rows.length, unseen, size, mailbox.id],
    );
    if (!options.keepQuota) await this.releaseQuota(manager, mailbox.accountId, size);
    await this.releaseBlobRefs(
      manager,
      rows.map((row) => row.blobId),
    );
  }

  async summaries(manager: EntityManager, mailboxId: number, uids?: readonly number[]): Promise<MessageSummary[]> {
    if (!uids) {
      return manager.find(MessageEntity, { select: MESSAGE_SUMMARY_COLUMNS, where: { mailboxId }, order: { uid: 'ASC' } });
    }
    const result: MessageSummary[] = [];
    for (const part of chunks(uids)) {
      result.push(...(await manager.find(MessageEntity, { select: MESSAGE_SUMMARY_COLUMNS, where: { mailboxId, uid: In(part) } })));
    }
    return result.sort((a, b) => a.uid - b.uid);
  }

  /**
   * Full rows of the given UIDs in UID order, cached structure included; the search text (up to 256 KiB a row)
   * only with `searchText`.
   */
  async messages(
    manager: EntityManager,
    mailboxId: number,
    uids: readonly number[],
    options: { searchText: boolean },
  ): Promise<MessageEntity[]> {
    const result: MessageEntity[] = [];
    for (const part of chunks(uids)) {
      result.push(
        ...(await manager.find(MessageEntity, {
          where: { mailboxId, uid: In(part) },
          ...(options.searchText ? {} : { select: MESSAGE_DETAIL_COLUMNS }),
        })),
      );
    }
    return result.sort((a, b) => a.uid - b.uid);
  }

  /** A message by its row id, only if it belongs to the account. */
  async messageOf(manager: EntityManager, accountId: number, messageId: number): Promise<MessageEntity | null> {
    return manager.findOneBy(MessageEntity, { id: messageId, accountId });
  }

  async countDeleted(manager: EntityManager, mailboxId: number): Promise<number> {
    return manager.countBy(MessageEntity, { mailboxId, deleted: true });
  }

  /** Messages changed after `modseq` and UIDs expunged after it, served by the (mailboxId, modseq) indexes. */
  async changesSince(
    manager: EntityManager,
    mailboxId: number,
    modseq: number,
  ): Promise<{ changed: MessageSummary[]; vanished: number[] }> {
    const changed = await manager.find(MessageEntity, {
      select: MESSAGE_SUMMARY_COLUMNS,
      where: { mailboxId, modseq: MoreThan(modseq) },
      order: { uid: 'ASC' },
    });
    const vanished = await manager.find(ExpungeLogEntity, {
      select: { uid: true },
      where: { mailboxId, modseq: MoreThan(modseq) },
      order: { uid: 'ASC' },
    });
    return { changed, vanished: vanished.map((row) => row.uid) };
  }

  /** The mailbox, only if it belongs to the account. */
  async mailboxOf(manager: EntityManager, accountId: number, mailboxId: number): Promise<MailboxEntity | null> {
    return manager.findOneBy(MailboxEntity, { id: mailboxId, accountId });
  }

  /** Sets the flags of the given rows, all to one state, with the change's MODSEQ. Counters are the caller's. */
  async setFlags(manager: EntityManager, messageIds: readonly number[], state: FlagColumns, modseq: number): Promise<void> {
    for (const part of chunks(messageIds)) await manager.update(MessageEntity, { id: In(part) }, { ...state, modseq });
  }

  /** Replaces a row's cached structure and search text (a re-analysis: the message itself is unchanged). */
  async updateAnalysis(
    manager: EntityManager,
    messageId: number,
    analysis: Pick<MessageEntity, 'structure' | 'searchText'>,
  ): Promise<void> {
    await manager.update(MessageEntity, { id: messageId }, analysis);
  }

  /**
   * Copies of `rows` in another mailbox, with UIDs from `firstUid` on and the given MODSEQ, each counted as one more
   * reference to its blob. The mailbox counters and quota were charged by `allocate` and `chargeQuota`. Returns the
   * new rows' ids in the order of `rows`.
   */
  async insertCopies(
    manager: EntityManager,
    rows: readonly MessageEntity[],
    destinationMailboxId: number,
    firstUid: number,
    modseq: number,
  ): Promise<number[]> {
    const refs = new Map<string, { blobId: string; size: number; count: number }>();
    for (const row of rows) {
      const ref = refs.get(row.blobId) ?? { blobId: row.blobId, size: row.size, count: 0 };
      ref.count++;
      refs.set(row.blobId, ref);
    }
    await this.addManyBlobRefs(manager, [...refs.values()]);
    return this.insertMessages(
      manager,
      rows.map(({ id: _id, ...copy }, i) => ({ ...copy, mailboxId: destinationMailboxId, uid: firstUid + i, modseq })),
    );
  }
}

/** The flag columns of a message row. */
export type FlagColumns = Pick<MessageEntity, 'seen' | 'answered' | 'flagged' | 'deleted' | 'draft' | 'keywords'>;

function messageValues(row: Omit<MessageEntity, 'id'>): (string | number | null)[] {
  return MESSAGE_INSERT_FIELDS.map((column) => {
    const value = row[column];
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (column === 'keywords' || column === 'structure') return JSON.stringify(value);
    return value as string | number | null;
  });
}
