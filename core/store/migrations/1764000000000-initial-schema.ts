import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, def?: number): TableColumnOptions => ({ name, type: 'integer', default: def });
const big = (name: string, def?: number): TableColumnOptions => ({ name, type: 'bigint', default: def });
const bool = (name: string, def: boolean): TableColumnOptions => ({ name, type: 'boolean', default: def });
const str = (name: string, length: number, def?: string): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  default: def === undefined ? undefined : `'${def}'`,
});
const nullableStr = (name: string, length: number): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: true,
});

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // MySQL's TEXT holds 64 KiB; cached structure and search text can be larger.
    const isMysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
    const text = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: isMysql ? 'mediumtext' : 'text',
      isNullable: nullable,
    });
    const create = (table: Table) => queryRunner.createTable(table, true, true, true);

    await create(
      new Table({
        name: 'domains',
        columns: [
          id,
          { ...str('name', 253), isUnique: true },
          nullableStr('catchAll', 320),
          str('dkimSelector', 63, 'mailhive'),
          text('dkimPrivateKey', true),
          big('createdAt'),
        ],
      }),
    );
    await create(
      new Table({
        name: 'accounts',
        columns: [
          id,
          { ...str('address', 320), isUnique: true },
          int('domainId'),
          str('displayName', 200, ''),
          str('passwordHash', 200),
          big('quotaBytes', 0),
          big('usedBytes', 0),
          bool('enabled', true),
          str('role', 20, 'user'),
          int('failedLogins', 0),
          big('lockedUntil', 0),
          big('createdAt'),
        ],
        indices: [new TableIndex({ columnNames: ['domainId'] })],
      }),
    );
    await create(
      new Table({
        name: 'aliases',
        columns: [id, { ...str('address', 320), isUnique: true }, int('domainId'), text('targets'), big('createdAt')],
        indices: [new TableIndex({ columnNames: ['domainId'] })],
      }),
    );
    await create(
      new Table({
        name: 'mailboxes',
        // Mailbox names are case-sensitive (RFC 3501 §5.1); MySQL's default collation is not.
        columns: [
          id,
          int('accountId'),
          { ...str('path', 512), collation: isMysql ? 'utf8mb4_bin' : undefined },
          nullableStr('specialUse', 20),
          bool('subscribed', true),
          big('uidValidity'),
          big('uidNext', 1),
          big('highestModseq', 1),
          int('messageCount', 0),
          int('unseenCount', 0),
          big('totalSize', 0),
          big('createdAt'),
        ],
        indices: [new TableIndex({ columnNames: ['accountId', 'path'], isUnique: true })],
      }),
    );
    await create(
      new Table({
        name: 'messages',
        columns: [
          id,
          int('accountId'),
          int('mailboxId'),
          big('uid'),
          big('modseq'),
          bool('seen', false),
          bool('answered', false),
          bool('flagged', false),
          bool('deleted', false),
          bool('draft', false),
          text('keywords'),
          big('internalDate'),
          int('size'),
          str('blobId', 64),
          big('sentDate'),
          str('subject', 998, ''),
          str('fromAddress', 998, ''),
          str('messageIdHeader', 998, ''),
          str('preview', 300, ''),
          bool('hasAttachments', false),
          text('structure'),
          text('searchText'),
        ],
        indices: [
          new TableIndex({ columnNames: ['mailboxId', 'uid'], isUnique: true }),
          new TableIndex({ columnNames: ['mailboxId', 'modseq'] }),
          new TableIndex({ columnNames: ['accountId', 'modseq'] }),
        ],
      }),
    );
    await create(
      new Table({
        name: 'blobs',
        columns: [{ ...str('id', 64), isPrimary: true }, big('size'), int('refCount', 0), big('createdAt')],
      }),
    );
    await create(
      new Table({
        name: 'expunge_log',
        columns: [id, int('accountId'), int('mailboxId'), big('uid'), big('modseq'), big('expungedAt')],
        indices: [new TableIndex({ columnNames: ['mailboxId', 'modseq'] })],
      }),
    );
    await create(
      new Table({
        name: 'outbound_queue',
        columns: [
          id,
          str('sender', 320, ''),
          text('recipients'),
          str('domain', 253),
          str('blobId', 64),
          str('status', 20, 'queued'),
          int('attempts', 0),
          big('nextAttemptAt'),
          big('expiresAt'),
          text('lastError', true),
          big('createdAt'),
        ],
        indices: [new TableIndex({ columnNames: ['status', 'nextAttemptAt'] })],
      }),
    );
    await create(
      new Table({
        name: 'audit_log',
        columns: [id, big('at'), str('actor', 320), str('action', 64), str('target', 512, ''), text('detail', true)],
        indices: [new TableIndex({ columnNames: ['at'] })],
      }),
    );
    await create(
      new Table({
        name: 'access_tokens',
        columns: [
          id,
          { ...str('secretHash', 64), isUnique: true },
          int('accountId'),
          str('kind', 20),
          str('label', 200, ''),
          big('createdAt'),
          big('expiresAt', 0),
          big('lastUsedAt', 0),
        ],
        indices: [new TableIndex({ columnNames: ['accountId'] })],
      }),
    );
    await create(
      new Table({
        name: 'leases',
        columns: [{ ...str('name', 200), isPrimary: true }, str('owner', 100), big('expiresAt')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'leases',
      'access_tokens',
      'audit_log',
      'outbound_queue',
      'expunge_log',
      'blobs',
      'messages',
      'mailboxes',
      'aliases',
      'accounts',
      'domains',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
