import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The search index (SearchTokenEntity). Messages stored before it are marked `#pending`, which makes them
 * candidates of every search (found as before, by reading their text) until the search index backfill has
 * indexed them; the migration itself stays one statement however large the store.
 */
export class SearchTokens1766200000000 implements MigrationInterface {
  name = 'SearchTokens1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isMysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
    await queryRunner.createTable(
      new Table({
        name: 'search_tokens',
        columns: [
          { name: 'accountId', type: 'integer', isPrimary: true },
          // Binary: a prefix range compares code points, as SQLite's default collation does.
          { name: 'token', type: 'varchar', length: '32', isPrimary: true, collation: isMysql ? 'utf8mb4_bin' : undefined },
          { name: 'messageId', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_search_tokens_message', columnNames: ['messageId'] })],
      }),
      true,
    );
    await queryRunner.query(
      "INSERT INTO `search_tokens` (`accountId`, `token`, `messageId`) SELECT `accountId`, '#pending', `id` FROM `messages`",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('search_tokens', true);
  }
}
