import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

const USER = 'cache@example.com';

const MESSAGE = [
  'From: a@example.com',
  'Subject: cached',
  'Content-Type: multipart/mixed; boundary=b',
  '',
  '--b',
  'Content-Type: text/plain',
  '',
  'Body text.',
  '--b',
  'Content-Type: text/plain; name=notes.txt',
  'Content-Disposition: attachment; filename=notes.txt',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('griffin in the attachment\r\n').toString('base64'),
  '--b--',
  '',
].join('\r\n');

/**
 * Rows cached by an earlier analysis (no `version` in the structure column, the old line counts and parameters, no
 * attachment text in the search text) are analysed again when first read, so IMAP answers as for a message delivered
 * now, and the row keeps the new analysis.
 */
describe('IMAP answers for messages cached by an older analysis', () => {
  let server: MailhiveProcess;
  let client: WireClient;

  const withDatabase = async <T>(work: (database: DataSource) => Promise<T>): Promise<T> => {
    const database = new DataSource(
      server.env.MAILHIVE_DATABASE_URL
        ? { type: 'mysql', url: server.env.MAILHIVE_DATABASE_URL }
        : { type: 'better-sqlite3', database: join(server.dataDir, 'mailhive.sqlite') },
    );
    await database.initialize();
    try {
      return await work(database);
    } finally {
      await database.destroy();
    }
  };

  beforeAll(async () => {
    server = await startImapServer([USER]);
    client = await WireClient.open(server.ports.imap);
    expect(await client.command(`LOGIN ${USER} secret123`)).toMatch(/OK/);
    const tag = client.nextTag();
    client.write(`${tag} APPEND INBOX {${Buffer.byteLength(MESSAGE)}+}\r\n${MESSAGE}\r\n`);
    expect(await client.untilTagged(tag)).toMatch(/OK \[APPENDUID/);
    expect(await client.command('SELECT INBOX')).toMatch(/\* 1 EXISTS/);
  });

  afterAll(async () => {
    client?.close();
    await server?.destroy();
  });

  it('recomputes BODYSTRUCTURE and search text of a row without a structure version', async () => {
    const untagged = async (command: string): Promise<string> => (await client.command(command)).split('\r\n')[0]!;
    const fresh = await untagged('FETCH 1 (BODYSTRUCTURE)');
    expect(fresh).toContain('(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 0 NIL NIL NIL NIL)');
    expect(await client.command('SEARCH BODY griffin')).toMatch(/\* SEARCH 1\r\n/);

    // Make the row look as an older version cached it.
    await withDatabase(async (database) => {
      const rows = (await database.query('SELECT id, structure FROM messages')) as { id: number; structure: string }[];
      expect(rows).toHaveLength(1);
      const structure = JSON.parse(rows[0]!.structure) as {
        version?: number;
        root: { parts: { bodyLines: number; params: Record<string, string> }[] };
      };
      expect(structure.version).toBe(2);
      delete structure.version;
      for (const part of structure.root.parts) {
        part.bodyLines += 1;
        delete part.params['charset'];
      }
      await database.query('UPDATE messages SET structure = ?, searchText = ? WHERE id = ?', [
        JSON.stringify(structure),
        'subject: cached\nBody text.',
        rows[0]!.id,
      ]);
    });

    expect(await untagged('FETCH 1 (BODYSTRUCTURE)')).toBe(fresh);
    expect(await client.command('SEARCH BODY griffin')).toMatch(/\* SEARCH 1\r\n/);

    // The fresh analysis is kept: the row is analysed once, not at every read.
    const [row] = (await withDatabase((database) => database.query('SELECT structure, searchText FROM messages'))) as {
      structure: string;
      searchText: string;
    }[];
    expect((JSON.parse(row!.structure) as { version?: number }).version).toBe(2);
    expect(row!.searchText).toContain('griffin');
  });
});
