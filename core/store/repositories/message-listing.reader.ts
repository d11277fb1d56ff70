import { Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { StoreService } from '../store.service.js';
import { FLAG_BITS, type FlagColumns, type ListingColumn, type MessageFlagRow } from '../../mail/message-listing.js';

/** Mailboxes smaller than this are read again at every SELECT; their listing costs a few milliseconds. */
const REMEMBERED_MIN_MESSAGES = 5000;
const REMEMBERED_MAILBOXES = 16;

const PACKED_FLAGS = '(seen + 2 * answered + 4 * flagged + 8 * deleted + 16 * draft)';

interface MysqlQueryable {
  query(
    options: { sql: string; values?: readonly unknown[]; rowsAsArray?: true },
    callback: (error: Error | null, rows: unknown[][]) => void,
  ): void;
}

interface MysqlPool extends MysqlQueryable {
  getConnection(callback: (error: Error | null, connection: MysqlQueryable & { release(): void }) => void): void;
}

/**
 * Whole-mailbox listings for IMAP (SELECT, FETCH of flags and sizes, flag searches) read with narrow raw SELECTs
 * served by the covering index IDX_messages_imap_listing, so their cost follows the number of messages and not the
 * size of the rows (which hold the cached structure and search text). Rows come back as arrays, on SQLite one
 * column at a time inside one read transaction: 100,000 messages make a few arrays of numbers, not 100,000
 * objects. Keywords are read separately, only for the messages that have any.
 */
@Injectable()
export class MessageListingReader {
  private readonly statements = new Map<string, Statement>();
  /** Open states of large mailboxes, least recently used first. */
  private readonly openStates = new Map<number, { version: string; uids: number[]; firstUnseenIndex: number }>();
  /** Mailboxes from this size on have their open state remembered. */
  rememberFrom = REMEMBERED_MIN_MESSAGES;

  constructor(private readonly store: StoreService) {}

  /**
   * UIDs in ascending order and the index of the first message without \Seen (-1: none). Large mailboxes are
   * remembered by their HIGHESTMODSEQ, which every change to their messages or \Seen flags raises in the same
   * transaction. `mailbox` is the row as the caller read it, before this call: a remembered state is reused only
   * while nothing at all has changed since (clients open the same mailbox again and again), and a state read now is
   * at least that new. With UIDVALIDITY, a mailbox created later under a reused id is never taken for another.
   */
  async openState(mailbox: {
    id: number;
    uidValidity: number;
    highestModseq: number;
  }): Promise<{ uids: number[]; firstUnseenIndex: number }> {
    const mailboxId = mailbox.id;
    const version = `${mailbox.uidValidity}:${mailbox.highestModseq}`;
    const known = this.openStates.get(mailboxId);
    if (known && known.version === version) {
      this.openStates.delete(mailboxId);
      this.openStates.set(mailboxId, known);
      return { uids: known.uids.slice(), firstUnseenIndex: known.firstUnseenIndex };
    }
    const [uids] = await this.columns(['uid'], 'WHERE mailboxId = ? ORDER BY uid', [mailboxId]);
    const [[firstUnseen]] = await this.columns(['MIN(uid)'], 'WHERE mailboxId = ? AND seen = 0', [mailboxId]);
    const list = uids.map(Number);
    // A message added or expunged between the two reads only makes the UNSEEN hint absent.
    const firstUnseenIndex = firstUnseen === null || firstUnseen === undefined ? -1 : indexOf(list, Number(firstUnseen));
    if (list.length >= this.rememberFrom) {
      this.openStates.delete(mailboxId);
      this.openStates.set(mailboxId, { version, uids: list.slice(), firstUnseenIndex });
      if (this.openStates.size > REMEMBERED_MAILBOXES) this.openStates.delete(this.openStates.keys().next().value!);
    }
    return { uids: list, firstUnseenIndex };
  }

  /** The listing of a mailbox (optionally within a UID range) in UID order, with the extra columns asked for. */
  async flagColumns(mailboxId: number, extra: readonly ListingColumn[], range?: { from: number; to: number }): Promise<FlagColumns> {
    const within = range ? ' AND uid >= ? AND uid <= ?' : '';
    const params = range ? [mailboxId, range.from, range.to] : [mailboxId];
    // UID and flags travel as one number (UIDs are 32-bit, so uid * 32 + flags stays exact): one column less to read.
    const { results, keywords } = await this.withKeywords([`uid * 32 + ${PACKED_FLAGS}`, ...extra], within, params);
    const packed = results[0];
    const uids = new Array<number>(packed.length);
    const flagBits = new Array<number>(packed.length);
    for (let i = 0; i < packed.length; i++) {
      const value = Number(packed[i]);
      flagBits[i] = value % 32;
      uids[i] = (value - flagBits[i]) / 32;
    }
    const listing: FlagColumns = { uids, flagBits, keywords };
    extra.forEach((column, i) => {
      listing[column] = results[1 + i].map(Number);
    });
    return listing;
  }

  /** Rows with every light column, for callers that want objects (the few hundred UIDs of a FETCH batch). */
  async flagRows(mailboxId: number, range?: { from: number; to: number }): Promise<MessageFlagRow[]> {
    const within = range ? ' AND uid >= ? AND uid <= ?' : '';
    const params = range ? [mailboxId, range.from, range.to] : [mailboxId];
    const { results, keywords } = await this.withKeywords(
      ['uid', PACKED_FLAGS, 'modseq', 'size', 'internalDate', 'sentDate', 'blobId'],
      within,
      params,
    );
    const [uids, flagBits, modseq, size, internalDate, sentDate, blobId] = results;
    const rows = new Array<MessageFlagRow>(uids.length);
    for (let i = 0; i < uids.length; i++) {
      const bits = Number(flagBits[i]);
      const uid = Number(uids[i]);
      rows[i] = {
        uid,
        modseq: Number(modseq[i]),
        seen: (bits & FLAG_BITS.seen) !== 0,
        answered: (bits & FLAG_BITS.answered) !== 0,
        flagged: (bits & FLAG_BITS.flagged) !== 0,
        deleted: (bits & FLAG_BITS.deleted) !== 0,
        draft: (bits & FLAG_BITS.draft) !== 0,
        keywords: keywords.get(uid) ?? [],
        size: Number(size[i]),
        internalDate: Number(internalDate[i]),
        sentDate: Number(sentDate[i]),
        blobId: String(blobId[i]),
      };
    }
    return rows;
  }

  /**
   * The listing columns `selects` and the keywords of the messages that have any, by UID, from one snapshot: a
   * listing whose flags and keywords were read on either side of a change would show a message's keywords at
   * another MODSEQ than its own. `within` and `params` restrict both to a UID range.
   */
  private async withKeywords(
    selects: readonly string[],
    within: string,
    params: unknown[],
  ): Promise<{ results: unknown[][]; keywords: Map<number, string[]> }> {
    const rest = `WHERE mailboxId = ?${within} ORDER BY uid`;
    // A non-empty keyword list is JSON `["...`: on SQLite (binary collation) those sort between `["` and `[]`, on
    // MySQL a LIKE with that prefix is a range on the prefix index IDX_messages_keywords.
    const nonEmpty = this.store.isSqlite ? `keywords >= '["' AND keywords < '[]'` : `keywords LIKE '["%'`;
    const keywordRest = `WHERE mailboxId = ? AND ${nonEmpty}${within}`;
    let results: unknown[][];
    let uids: unknown[];
    let lists: unknown[];
    if (this.store.isSqlite) {
      const db = this.sqlite();
      const statement = (sql: string) => this.statement(db, sql).all(...params);
      [results, uids, lists] = db.transaction(
        () =>
          [
            selects.map((select) => statement(`SELECT ${select} FROM messages ${rest}`)),
            statement(`SELECT uid FROM messages ${keywordRest}`),
            statement(`SELECT keywords FROM messages ${keywordRest}`),
          ] as const,
      )();
    } else {
      const [rows, keywordRows] = await this.mysqlSnapshot([
        { sql: `SELECT ${selects.join(', ')} FROM messages ${rest}`, values: params },
        { sql: `SELECT uid, keywords FROM messages ${keywordRest}`, values: params },
      ]);
      results = selects.map((_, column) => rows.map((row) => row[column]));
      uids = keywordRows.map((row) => row[0]);
      lists = keywordRows.map((row) => row[1]);
    }
    const keywords = new Map<number, string[]>();
    for (let i = 0; i < uids.length; i++) keywords.set(Number(uids[i]), JSON.parse(String(lists[i])) as string[]);
    return { results, keywords };
  }

  /**
   * `SELECT <each of selects> FROM messages <rest>`, as one array of values per select, all from one snapshot. On
   * SQLite one single-column statement per select inside one read transaction (synchronous, so nothing else uses
   * the connection meanwhile): arrays of numbers, no row objects. On MySQL one statement with rows as arrays.
   */
  private async columns(selects: readonly string[], rest: string, params: readonly unknown[]): Promise<unknown[][]> {
    if (this.store.isSqlite) {
      const db = this.sqlite();
      const read = () => selects.map((select) => this.statement(db, `SELECT ${select} FROM messages ${rest}`).all(...params));
      return selects.length === 1 ? read() : db.transaction(read)();
    }
    const rows = await this.mysql(`SELECT ${selects.join(', ')} FROM messages ${rest}`, params);
    return selects.map((_, column) => {
      const values = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = rows[i][column];
      return values;
    });
  }

  private sqlite(): Database {
    return (this.store.reader.connection.driver as unknown as { databaseConnection: Database }).databaseConnection;
  }

  private statement(db: Database, sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql).pluck();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private mysqlPool(): MysqlPool {
    return (this.store.reader.connection.driver as unknown as { pool: MysqlPool }).pool;
  }

  private mysql(sql: string, values: readonly unknown[], on: MysqlQueryable = this.mysqlPool()): Promise<unknown[][]> {
    return new Promise((resolve, reject) => {
      on.query({ sql: mysqlQuoted(sql), values, rowsAsArray: true }, (error, rows) => (error ? reject(error) : resolve(rows)));
    });
  }

  /** Several SELECTs on one connection in one read-only transaction, so all see the same committed state. */
  private async mysqlSnapshot(queries: readonly { sql: string; values: readonly unknown[] }[]): Promise<unknown[][][]> {
    const pool = this.mysqlPool();
    const connection = await new Promise<MysqlQueryable & { release(): void }>((resolve, reject) => {
      pool.getConnection((error, taken) => (error ? reject(error) : resolve(taken)));
    });
    try {
      await this.mysql('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', [], connection);
      const results: unknown[][][] = [];
      try {
        for (const { sql, values } of queries) results.push(await this.mysql(sql, values, connection));
      } finally {
        await this.mysql('COMMIT', [], connection);
      }
      return results;
    } finally {
      connection.release();
    }
  }
}

/** The queries above name columns bare (SQLite accepts them); MySQL gets them quoted. */
function mysqlQuoted(sql: string): string {
  return sql.replace(
    /\b(mailboxId|uid|modseq|seen|answered|flagged|deleted|draft|keywords|size|internalDate|sentDate|blobId|messages)\b/g,
    '`$1`',
  );
}

/** Index of `value` in the ascending list (binary search), -1 when absent. */
function indexOf(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (list[mid] === value) return mid;
    if (list[mid] < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
