import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_STORE, type BlobStore } from '../../core/blob/blob-store.js';
import { LeaseService } from '../../core/leases/lease.service.js';
import { BlobSweeper, SWEEP_LEASE } from '../../core/maintenance/blob-sweeper.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { S3TestServer } from '../support/s3-server.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

/** Reference counting and sweeping with the blobs in S3, where several nodes share one bucket. */
describe(`blob sweeper on S3 and ${TEST_DB}`, () => {
  let s3: S3TestServer;
  let core: TestCore;

  beforeAll(async () => {
    s3 = await new S3TestServer().start();
    core = await openTestCore(s3.env('sweep'));
  });

  afterAll(async () => {
    await core?.close();
    await s3?.stop();
  });

  it('frees the blobs of expunged mail and of crashed deliveries, keeps referenced and fresh ones', async () => {
    const user = await createUser(core, 'sweeps3');
    const { mailboxes, messages } = services(core);
    const blobs = core.context.get<BlobStore>(BLOB_STORE);
    const sweeper = core.context.get(BlobSweeper);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const kept = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'kept' }));
    const gone = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'gone' }));
    const [keptRow, goneRow] = await messages.get(inbox.id, [kept.uid, gone.uid]);
    await messages.expunge(user.id, inbox.id, { uids: [gone.uid], ignoreDeletedFlag: true });
    const orphan = await blobs.put(rawMessage({ body: 'orphan' }));
    // S3 keeps an object's time to the second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const writtenBefore = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fresh = await blobs.put(rawMessage({ body: 'being delivered right now' }));

    expect(await sweeper.sweep()).toEqual({ removed: 0, bytes: 0 });
    const result = await sweeper.sweep(Date.now() - writtenBefore);
    expect(result.removed).toBe(2);
    expect(await blobs.exists(goneRow.blobId)).toBe(false);
    expect(await blobs.exists(orphan.id)).toBe(false);
    expect(await blobs.exists(keptRow.blobId)).toBe(true);
    expect(await blobs.exists(fresh.id)).toBe(true);
    expect((await messages.readRaw(keptRow.blobId)).toString()).toContain('kept');
  });

  it('sweeps on one node at a time: a node that does not hold the sweep lease leaves the store alone', async () => {
    const blobs = core.context.get<BlobStore>(BLOB_STORE);
    const orphan = await blobs.put(rawMessage({ body: 'orphan of another node' }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const leases = core.context.get(LeaseService);
    expect(await leases.acquire(SWEEP_LEASE, 'another-node', 60_000)).toBe(true);
    expect(await core.context.get(BlobSweeper).sweepIfLeader(0)).toBe(false);
    expect(await blobs.exists(orphan.id)).toBe(true);
    await leases.release(SWEEP_LEASE, 'another-node');
    expect(await core.context.get(BlobSweeper).sweepIfLeader(0)).toMatchObject({ removed: expect.any(Number) as number });
    expect(await blobs.exists(orphan.id)).toBe(false);
  });
});
