import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../core/accounts/accounts.service.js';
import { closeCoreResources, openCoreResources } from '../../app/core-resources.js';
import { loadConfig } from '../../core/config/config.loader.js';
import { CoreModule, type CoreResources } from '../../core/core.module.js';
import type { MailEventMap } from '../../core/events/mail-events.js';
import { createLogger } from '../../core/logging/logger.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import { WireClient } from './imap-wire.js';

const USER = 'iris@imapnodes.example';

// Several nodes need a MySQL-compatible database (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb').each([
  ['NATS', 'nats://127.0.0.1:4222'],
  ['Redis', 'redis://127.0.0.1:6379'],
])('IMAP on two server processes sharing one database and a %s bus', (_name, busUrl) => {
  let blobDir: string;
  let dataDir: string;
  let nodeA: MailhiveProcess;
  let nodeB: MailhiveProcess;
  const clients: WireClient[] = [];
  /** A third writer in this process whose events stay local: its commits reach the bus only when the test says. */
  let quiet: { resources: CoreResources; context: INestApplicationContext };
  /** The bus as a node sees it, to publish an event late. */
  let bus: CoreResources;

  const loggedIn = async (node: MailhiveProcess) => {
    const client = await WireClient.open(node.ports.imap);
    clients.push(client);
    expect(await client.command(`LOGIN ${USER} secret123`)).toMatch(/OK/);
    return client;
  };
  const recentOf = (select: string) => Number(/\* (\d+) RECENT\r\n/.exec(select)?.[1] ?? -1);

  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'mailhive-imap-blobs-'));
    dataDir = mkdtempSync(join(tmpdir(), 'mailhive-imap-quiet-'));
    nodeA = await MailhiveProcess.create({ MAILHIVE_BLOB_DIR: blobDir, MAILHIVE_BUS_URL: busUrl });
    nodeB = await MailhiveProcess.create({
      MAILHIVE_BLOB_DIR: blobDir,
      MAILHIVE_BUS_URL: busUrl,
      MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL!,
    });
    await nodeA.start();
    await nodeB.start();
    await nodeA.cli('domain', 'add', 'imapnodes.example');
    await nodeA.cli('user', 'add', USER, '--password', 'secret123');
    const env = {
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_LOG_LEVEL: 'silent',
      MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL!,
      MAILHIVE_BLOB_DIR: blobDir,
      MAILHIVE_BUS_URL: busUrl,
    };
    const resources = await openCoreResources(loadConfig(env), createLogger('silent'), { plugins: false, bus: false });
    quiet = { resources, context: await NestFactory.createApplicationContext(CoreModule.forRoot(resources), { logger: false }) };
    bus = await openCoreResources(loadConfig(env), createLogger('silent'), { plugins: false, bus: true });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await quiet?.context.close();
    if (quiet) await closeCoreResources(quiet.resources);
    if (bus) await closeCoreResources(bus);
    await nodeB?.destroy();
    await nodeA?.destroy();
    rmSync(blobDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports a message whose event arrives after a later one's, once and in UID order, and claims \\Recent once", async () => {
    const idler = await loggedIn(nodeA);
    expect(await idler.command('SELECT INBOX')).toContain('* 0 EXISTS\r\n');
    idler.write('i1 IDLE\r\n');
    expect(await idler.readUntil((text) => text.endsWith('\r\n'))).toBe('+ idling\r\n');

    // UID 1 is committed, but its event is held back; UID 2 is appended on node B and its event crosses the bus first.
    const accounts = quiet.context.get(AccountsService);
    const user = await accounts.getUser(USER);
    const inbox = await quiet.context.get(MailboxService).get(user.id, 'INBOX');
    const held: MailEventMap['message.added'][] = [];
    quiet.resources.events.on('message.added', (event) => held.push(event));
    const first = await quiet.context
      .get(MessageService)
      .append({ accountId: user.id, mailboxId: inbox.id }, Buffer.from('Subject: first\r\n\r\none\r\n'));
    expect(first.uid).toBe(1);
    const appender = await loggedIn(nodeB);
    appender.write(`a1 APPEND INBOX {20+}\r\nSubject: second\r\n\r\n2\r\n`);
    expect(await appender.untilTagged('a1')).toMatch(/^a1 OK \[APPENDUID \d+ 2\]/);

    // Node A's session learns of both, in order, although only UID 2's event has arrived.
    expect(await idler.readUntil((text) => text.includes('RECENT\r\n'), 3000)).toBe('* 2 EXISTS\r\n* 2 RECENT\r\n');
    // UID 1's event arrives late: nothing more to report.
    expect(held).toHaveLength(1);
    bus.events.emit('message.added', held[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    idler.write('DONE\r\n');
    expect(await idler.untilTagged('i1')).toBe('i1 OK IDLE terminated\r\n');
    expect(await idler.command('FETCH 1:* (UID FLAGS)', 'f1')).toBe(
      '* 1 FETCH (UID 1 FLAGS (\\Recent))\r\n* 2 FETCH (UID 2 FLAGS (\\Recent))\r\nf1 OK FETCH completed\r\n',
    );

    // Node A's session claimed both: a session on node B does not see them as recent.
    const other = await loggedIn(nodeB);
    expect(recentOf(await other.command('SELECT INBOX'))).toBe(0);
    expect(await other.command('SEARCH RECENT', 's1')).toBe('* SEARCH\r\ns1 OK SEARCH completed\r\n');
  });

  it('gives each new message to exactly one of two SELECTs racing on different nodes', async () => {
    const user = await quiet.context.get(AccountsService).getUser(USER);
    const mailboxes = quiet.context.get(MailboxService);
    await mailboxes.create(user.id, 'Race');
    const race = await mailboxes.get(user.id, 'Race');
    const messages = quiet.context.get(MessageService);
    for (let n = 0; n < 5; n++)
      await messages.append({ accountId: user.id, mailboxId: race.id }, Buffer.from(`Subject: race ${n}\r\n\r\nx\r\n`));
    const onA = await loggedIn(nodeA);
    const onB = await loggedIn(nodeB);
    const [a, b] = await Promise.all([onA.command('SELECT Race'), onB.command('SELECT Race')]);
    expect(recentOf(a) + recentOf(b)).toBe(5);
    expect([recentOf(a), recentOf(b)]).toContain(5);
    const status = await (await loggedIn(nodeA)).command('STATUS Race (RECENT MESSAGES)', 's1');
    expect(status).toBe('* STATUS "Race" (RECENT 0 MESSAGES 5)\r\ns1 OK STATUS completed\r\n');
  });
});
