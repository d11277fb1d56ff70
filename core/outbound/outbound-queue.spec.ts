import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../../test/support/test-core.js';
import { MailRepository } from '../store/repositories/mail.repository.js';
import { MessageService } from '../mail/message.service.js';
import { StoreService } from '../store/store.service.js';
import { OutboundQueueRepository } from '../store/repositories/outbound-queue.repository.js';
import { OutboundQueueService } from './outbound-queue.service.js';

/** Store test of the outbound queue, on SQLite and (MAILHIVE_TEST_DB=mariadb) MariaDB. */
describe('OutboundQueueService', () => {
  let core: TestCore;
  let queue: OutboundQueueService;

  beforeAll(async () => {
    core = await openTestCore({
      MAILHIVE_OUTBOUND_RETRY_SECONDS: '60',
      MAILHIVE_OUTBOUND_LIFETIME_SECONDS: '3600',
      MAILHIVE_OUTBOUND_LEASE_SECONDS: '1',
    });
    const store = core.context.get(StoreService);
    queue = new OutboundQueueService(store, new OutboundQueueRepository(store, core.context.get(MailRepository)), core.config);
  });

  afterAll(async () => {
    await core?.close();
  });

  it('queues one row per domain and never hands a row to two concurrent claimers', async () => {
    const { blob } = await core.context.get(MessageService).prepare(Buffer.from('Subject: queued\r\n\r\nx\r\n'));
    const recipients = Array.from({ length: 24 }, (_, i) => `user${i}@d${i % 12}.example`);
    const ids = await queue.enqueue({ sender: 'ann@local.example', recipients, blob });
    expect(ids).toHaveLength(12);
    expect((await queue.list()).find((row) => row.domain === 'd3.example')!.recipients).toEqual(['user3@d3.example', 'user15@d3.example']);

    // On MariaDB a claimer may skip more rows than the others locked (InnoDB locks what it scans); what matters is
    // that no row is handed out twice and that later claims pick up whatever was skipped.
    const claims = await Promise.all([queue.claim(5, 'a'), queue.claim(5, 'b'), queue.claim(5, 'c')]);
    const claimed = claims.flat().map((row) => row.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    for (let rest = await queue.claim(5, 'd'); rest.length > 0; rest = await queue.claim(5, 'd'))
      claimed.push(...rest.map((row) => row.id));
    expect(claimed.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('hands a row whose holder stopped renewing its lease to another worker, and only the holder renews it', async () => {
    const { blob } = await core.context.get(MessageService).prepare(Buffer.from('Subject: leased\r\n\r\nx\r\n'));
    const [id] = await queue.enqueue({ sender: 'ann@local.example', recipients: ['zed@lease.example'], blob });
    const taken = await queue.claim(50, 'node-a');
    expect(taken.map((row) => row.id)).toContain(id);
    expect((await queue.claim(50, 'node-b')).map((row) => row.id)).not.toContain(id);
    // node-a renews within its one-second lease: node-b still gets nothing.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await queue.renew([id!], 'node-a')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await queue.claim(50, 'node-b')).map((row) => row.id)).not.toContain(id);
    // node-a dies: once its lease lapses, node-b takes the row, and node-a can no longer renew it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const retaken = (await queue.claim(50, 'node-b')).find((row) => row.id === id);
    expect(retaken).toMatchObject({ status: 'sending', leaseOwner: 'node-b' });
    expect(await queue.renew([id!], 'node-a')).toBe(0);
    expect(await queue.renew([id!], 'node-b')).toBe(1);
    await queue.finish(retaken!);
  });

  it('defers with back-off, reports expiry, and drops finished rows', async () => {
    const [row] = (await queue.list()).filter((item) => item.domain === 'd0.example');
    const before = Date.now();
    expect(await queue.defer(row!, ['user0@d0.example'], '451 4.3.0 later')).toBe('deferred');
    const deferred = (await queue.list()).find((item) => item.id === row!.id)!;
    expect(deferred).toMatchObject({ status: 'queued', attempts: 1, recipients: ['user0@d0.example'], lastError: '451 4.3.0 later' });
    expect(deferred.nextAttemptAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(await queue.defer({ ...deferred, expiresAt: Date.now() - 1 }, ['user0@d0.example'], 'x')).toBe('expired');
    await queue.finish(deferred);
    expect((await queue.list()).some((item) => item.id === row!.id)).toBe(false);
    expect(await queue.delete(row!.id)).toBe(false);
  });

  it("keeps the DSN parameters of each row's own recipients and when its delay warning went out", async () => {
    const { blob } = await core.context.get(MessageService).prepare(Buffer.from('Subject: dsn\r\n\r\nx\r\n'));
    const ids = await queue.enqueue({
      sender: 'ann@local.example',
      recipients: ['Bob@dsn-a.example', 'cid@dsn-b.example', 'dan@dsn-b.example'],
      blob,
      dsn: {
        ret: 'HDRS',
        envid: 'QQ314159',
        recipients: {
          'bob@dsn-a.example': { notify: ['SUCCESS', 'DELAY'], orcpt: 'rfc822;Bob@dsn-a.example' },
          'cid@dsn-b.example': { notify: [], orcpt: null },
        },
      },
    });
    const rows = (await queue.list()).filter((row) => ids.includes(row.id));
    const a = rows.find((row) => row.domain === 'dsn-a.example')!;
    const b = rows.find((row) => row.domain === 'dsn-b.example')!;
    expect(a).toMatchObject({
      dsnRet: 'HDRS',
      dsnEnvid: 'QQ314159',
      delayNotifiedAt: null,
      dsnRecipients: { 'bob@dsn-a.example': { notify: ['SUCCESS', 'DELAY'], orcpt: 'rfc822;Bob@dsn-a.example' } },
    });
    expect(b.dsnRecipients).toEqual({ 'cid@dsn-b.example': { notify: [], orcpt: null } });
    await queue.defer(a, a.recipients, '450 4.2.1 busy', true);
    expect((await queue.list()).find((row) => row.id === a.id)!.delayNotifiedAt).toBeGreaterThan(0);
    const plain = await queue.enqueue({ sender: 'ann@local.example', recipients: ['eve@dsn-c.example'], blob });
    expect((await queue.list()).find((row) => row.id === plain[0])).toMatchObject({ dsnRet: null, dsnEnvid: null, dsnRecipients: null });
    for (const row of await queue.list()) await queue.finish(row);
  });
});
