import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailhive, type RunningMailhive } from '../../app/bootstrap.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { createLogger } from '../../core/logging/logger.js';
import { PluginsService } from '../../core/plugin-host/plugins.service.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/poll.js';

const OFF = Object.fromEntries(
  ['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']),
);
const PROBE = fileURLToPath(new URL('../fixtures/plugins/sdk-probe.plugin.js', import.meta.url));

// Two nodes on one database and a NATS bus: a plugin switched off or reconfigured on one is switched off or
// reconfigured on the other without a restart. Runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')('plugins on two nodes', () => {
  let database: TestDatabase;
  let blobDir: string;
  const nodes: { running: RunningMailhive; dataDir: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    blobDir = mkdtempSync(join(tmpdir(), 'mailhive-shared-blobs-'));
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-node-'));
      const config = loadConfig({
        ...OFF,
        MAILHIVE_HTTP_PORT: '0',
        MAILHIVE_BIND: '127.0.0.1',
        MAILHIVE_DATA_DIR: dataDir,
        MAILHIVE_LOG_LEVEL: 'silent',
        MAILHIVE_DATABASE_URL: database.url!,
        MAILHIVE_BLOB_DIR: blobDir,
        MAILHIVE_BUS_URL: 'nats://127.0.0.1:4222',
        MAILHIVE_PLUGINS: PROBE,
      });
      nodes.push({ running: await startMailhive(config, createLogger('silent')), dataDir });
    }
  });

  afterAll(async () => {
    for (const node of nodes) {
      await node.running.stop();
      rmSync(node.dataDir, { recursive: true, force: true });
    }
    await database?.drop();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const plugin = (node: number) =>
    nodes[node]!.running.app.get(PluginsService)
      .list()
      .find((item) => item.name === 'sdk-probe')!;

  it('disables, enables and reconfigures a plugin on every node', async () => {
    expect([plugin(0).state, plugin(1).state]).toEqual(['enabled', 'enabled']);
    expect(await nodes[0]!.running.app.get(PluginsService).setEnabled('sdk-probe', false)).toMatchObject({
      ok: true,
      plugin: { state: 'disabled' },
    });
    await eventually(
      () => plugin(1).state,
      (state) => state === 'disabled',
    );

    await nodes[1]!.running.app.get(PluginsService).setEnabled('sdk-probe', true);
    await eventually(
      () => plugin(0).state,
      (state) => state === 'enabled',
    );

    expect(await nodes[1]!.running.app.get(PluginsService).configure('sdk-probe', { tag: 'both' })).toMatchObject({ ok: true });
    await eventually(
      () => plugin(0).config.find((field) => field.key === 'tag')?.value,
      (value) => value === 'both',
    );
    expect(await nodes[0]!.running.app.get(PluginsService).configure('sdk-probe', { tickMs: 0 })).toEqual({
      ok: false,
      reason: 'invalid',
      errors: ['tickMs: at least 10'],
    });
  });
});
