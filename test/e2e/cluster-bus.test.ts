import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { NatsTestServer } from '../support/nats-server.js';
import { TEST_DB } from '../support/test-database.js';
import { WireClient } from './imap-wire.js';
import { rawMessage, smtpTransaction } from './smtp-helpers.js';

const USER = 'idle@bus.example';
const PASSWORD = 'bus outage pass';

async function health(node: MailhiveProcess): Promise<{ code: number; body: Record<string, string> }> {
  const response = await fetch(`http://127.0.0.1:${node.ports.http}/healthz`);
  return { code: response.status, body: (await response.json()) as Record<string, string> };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function deliver(node: MailhiveProcess, subject: string): Promise<string | null> {
  const message = rawMessage('x@remote.example', USER, subject, 'body\r\n');
  return (await smtpTransaction(node.ports.smtp, { mail: '<x@remote.example>', rcpts: [`<${USER}>`], message })).data;
}

// Several nodes need a MySQL-compatible database (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')('a message bus outage between two nodes', () => {
  const nats = new NatsTestServer();
  let nodeA: MailhiveProcess;
  let nodeB: MailhiveProcess;

  beforeAll(async () => {
    await nats.start();
    nodeA = await MailhiveProcess.create({ MAILHIVE_BUS_URL: nats.url });
    nodeB = await MailhiveProcess.create({
      MAILHIVE_BUS_URL: nats.url,
      MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL!,
      MAILHIVE_BLOB_DIR: `${nodeA.dataDir}/blobs`,
    });
    await nodeA.start();
    await nodeB.start();
    await nodeA.cli('domain', 'add', 'bus.example');
    await nodeA.cli('user', 'add', USER, '--password', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await nodeB?.destroy();
    await nodeA?.destroy();
    await nats.destroy();
  });

  it('keeps taking mail, reports itself degraded, and brings IDLE up to date when the bus returns', async () => {
    const idler = await WireClient.open(nodeB.ports.imap);
    try {
      expect(await idler.command(`LOGIN ${USER} "${PASSWORD}"`)).toMatch(/OK/);
      expect(await idler.command('SELECT INBOX')).toContain('* 0 EXISTS\r\n');
      idler.write('i1 IDLE\r\n');
      expect(await idler.readUntil((text) => text.endsWith('\r\n'))).toBe('+ idling\r\n');

      // With the bus, node A's delivery reaches node B's IDLE session at once.
      expect(await deliver(nodeA, 'with the bus')).toMatch(/^250 /);
      expect(await idler.readUntil((text) => text.includes('* 1 EXISTS\r\n'))).toContain('* 1 EXISTS\r\n');

      await nats.stop();
      await until(async () => (await health(nodeA)).body.bus === 'down', 10_000, 'node A to notice the outage');
      expect(await health(nodeA)).toEqual({ code: 200, body: { status: 'degraded', database: 'ok', blobStore: 'ok', bus: 'down' } });
      expect(await deliver(nodeA, 'during the outage')).toMatch(/^250 /);
      // Node B cannot hear of it while the bus is down.
      await expect(idler.readUntil((text) => text.includes('EXISTS'), 1000)).rejects.toThrow(/timed out/);

      await nats.start();
      expect(await idler.readUntil((text) => text.includes('* 2 EXISTS\r\n'), 20_000)).toContain('* 2 EXISTS\r\n');
      await until(async () => (await health(nodeA)).body.status === 'ok', 10_000, 'node A healthy again');
      expect(await deliver(nodeA, 'after the outage')).toMatch(/^250 /);
      expect(await idler.readUntil((text) => text.includes('* 3 EXISTS\r\n'), 10_000)).toContain('* 3 EXISTS\r\n');
      idler.write('DONE\r\n');
      expect(await idler.readUntil((text) => text.includes('i1 OK'))).toContain('i1 OK');
      expect(nodeA.logs()).toContain('message bus unreachable');
      expect(nodeB.logs()).toContain('message bus reachable again');
    } finally {
      idler.close();
    }
  }, 120_000);
});
