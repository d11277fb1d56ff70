import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './group-commit.js';

describe('SQLite group commit', () => {
  let dataSource: DataSource;
  let queue: GroupCommitQueue;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: join(mkdtempSync(join(tmpdir(), 'mailhive-gc-')), 'db.sqlite') });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
    queue = new GroupCommitQueue(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const names = async () => ((await dataSource.query('SELECT name FROM items ORDER BY name')) as { name: string }[]).map((row) => row.name);

  it('commits concurrent transactions together, and a failing one rolls back alone', async () => {
    const results = await Promise.allSettled([
      queue.run(async (manager) => {
        await manager.query("INSERT INTO items VALUES ('a')");
        return 'a';
      }),
      queue.run(async (manager) => {
        await manager.query("INSERT INTO items VALUES ('b')");
        await manager.query("INSERT INTO items VALUES ('a')"); // duplicate key: this transaction fails
        return 'b';
      }),
      queue.run(async (manager) => {
        await manager.query("INSERT INTO items VALUES ('c')");
        return 'c';
      }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['a', 'c']);
  });

  it('resolves a transaction only once its rows are committed', async () => {
    // A second connection sees only committed rows: whatever a resolved transaction wrote must be there.
    const reader = new DataSource({ type: 'better-sqlite3', database: dataSource.options.database as string });
    await reader.initialize();
    const seenByReader: boolean[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const name = `n${String(i).padStart(2, '0')}`;
        return queue
          .run(async (manager) => {
            await manager.query('INSERT INTO items VALUES (?)', [name]);
          })
          .then(async () => {
            const rows = (await reader.query('SELECT name FROM items WHERE name = ?', [name])) as unknown[];
            seenByReader.push(rows.length === 1);
          });
      }),
    );
    await reader.destroy();
    expect(seenByReader).toEqual(Array.from({ length: 20 }, () => true));
  });
});

describe('SQLite group commit in WAL mode', () => {
  it('commits with synchronous = NORMAL and resolves only after the WAL is flushed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mailhive-gc-wal-')), 'db.sqlite');
    const dataSource = new DataSource({
      type: 'better-sqlite3',
      database: file,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('journal_mode = WAL');
      },
    });
    await dataSource.initialize();
    try {
      await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
      const queue = new GroupCommitQueue(dataSource);
      // NORMAL: COMMIT no longer fsyncs on the event loop; the queue's WAL flush does.
      expect(await dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
      const flushesSeen: number[] = [];
      const flushed = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          queue
            .run(async (manager) => {
              await manager.query('INSERT INTO items VALUES (?)', [`w${i}`]);
              return i;
            })
            .then((value) => {
              flushesSeen.push(queue.walFlushes);
              return value;
            }),
        ),
      );
      expect(flushed).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // Every transaction resolved after a completed flush.
      expect(Math.min(...flushesSeen)).toBeGreaterThan(0);
      expect(queue.walFlushes).toBeGreaterThan(0);
      // Concurrent transactions share flushes.
      expect(queue.walFlushes).toBeLessThan(30);
    } finally {
      await dataSource.destroy();
    }
  });
  it('runs a transaction again when another process committed between its read and its write', async () => {
    // The WAL mode of the server's store; the other connection stands for a CLI process writing beside it.
    const file = join(mkdtempSync(join(tmpdir(), 'mailhive-gc-')), 'wal.sqlite');
    const server = new DataSource({
      type: 'better-sqlite3',
      database: file,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('journal_mode = WAL');
      },
    });
    await server.initialize();
    const other = new DataSource({ type: 'better-sqlite3', database: file });
    await other.initialize();
    try {
      await server.query('CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER)');
      await server.query("INSERT INTO counters VALUES ('c', 0)");
      const walQueue = new GroupCommitQueue(server);
      let runs = 0;
      const value = await walQueue.run(async (manager) => {
        runs++;
        const [{ n }] = (await manager.query("SELECT n FROM counters WHERE name = 'c'")) as { n: number }[];
        // The first time, the other process commits after this read: the write below is refused with SQLITE_BUSY.
        if (runs === 1) await other.query("UPDATE counters SET n = n + 10 WHERE name = 'c'");
        await manager.query("UPDATE counters SET n = ? WHERE name = 'c'", [n + 1]);
        return n + 1;
      });
      expect(runs).toBe(2);
      expect(value).toBe(11);
      expect(await other.query("SELECT n FROM counters WHERE name = 'c'")).toEqual([{ n: 11 }]);
    } finally {
      await other.destroy();
      await server.destroy();
    }
  });
});
