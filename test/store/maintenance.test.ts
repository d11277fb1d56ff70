import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_STORE, type BlobStore } from '../../core/blob/blob-store.js';
import { BlobSweeper } from '../../core/maintenance/blob-sweeper.service.js';
import { RecipientResolver } from '../../core/mail/recipient-resolver.service.js';
import { StoreService } from '../../core/store/store.service.js';
import { AliasEntity } from '../../core/store/entities/alias.entity.js';
import { DomainEntity } from '../../core/store/entities/domain.entity.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';
import { createUser, rawMessage, services } from './fixtures.js';

describe(`blob sweeper on ${TEST_DB}`, () => {
  let core: TestCore;

  beforeAll(async () => {
    core = await openTestCore();
  });

  afterAll(async () => {
    await core.close();
  });

  it('frees the blobs of expunged mail and of crashed deliveries, and keeps referenced ones', async () => {
    const user = await createUser(core, 'sweep');
    const { mailboxes, messages } = services(core);
    const blobs = core.context.get<BlobStore>(BLOB_STORE);
    const sweeper = core.context.get(BlobSweeper);
    const inbox = await mailboxes.get(user.id, 'INBOX');
    const kept = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'kept' }));
    const gone = await messages.append({ accountId: user.id, mailboxId: inbox.id }, rawMessage({ body: 'gone' }));
    const [keptRow, goneRow] = await messages.get(inbox.id, [kept.uid, gone.uid]);
    await messages.expunge(user.id, inbox.id, { uids: [gone.uid], ignoreDeletedFlag: true });
    // A blob written by a delivery that crashed before its commit: a file without a row.
    const orphan = await blobs.put(rawMessage({ body: 'orphan' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const writtenBefore = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = await blobs.put(rawMessage({ body: 'being delivered right now' }));

    // Within the grace period nothing goes, so a delivery in flight never loses its blob.
    expect(await sweeper.sweep()).toEqual({ removed: 0, bytes: 0 });

    // A grace period that has passed for all but the last blob.
    const result = await sweeper.sweep(Date.now() - writtenBefore);
    expect(result.removed).toBe(2);
    expect(await blobs.exists(goneRow.blobId)).toBe(false);
    expect(await blobs.exists(orphan.id)).toBe(false);
    expect(await blobs.exists(keptRow.blobId)).toBe(true);
    expect(await blobs.exists(fresh.id)).toBe(true);
    expect((await messages.readRaw(keptRow.blobId)).toString()).toContain('kept');
  });
});

describe(`recipient resolution on ${TEST_DB}`, () => {
  let core: TestCore;
  let resolver: RecipientResolver;

  beforeAll(async () => {
    core = await openTestCore();
    resolver = core.context.get(RecipientResolver);
    const { accounts } = services(core);
    await createUser(core, 'amy');
    await createUser(core, 'ben');
    await accounts.addAlias('sales@store.example', ['amy@store.example']);
    await accounts.addAlias('team@store.example', ['sales@store.example', 'ben@store.example', 'partner@elsewhere.example']);
    await accounts.addAlias('loop-a@store.example', ['loop-b@store.example']);
    // Loops are refused when added now; these stand for ones stored before that.
    await core.context.get(StoreService).transaction(async (manager) => {
      const domain = await manager.findOneByOrFail(DomainEntity, { name: 'store.example' });
      for (const [address, targets] of [
        ['loop-b@store.example', ['loop-a@store.example', 'ben@store.example']],
        ['ring-a@store.example', ['ring-b@store.example']],
        ['ring-b@store.example', ['ring-a@store.example']],
      ] as const) {
        await manager.save(AliasEntity, { address, domainId: domain.id, targets: [...targets], createdAt: Date.now() });
      }
    });
    await accounts.addAlias('amy+vip@store.example', ['ben@store.example']);
  });

  afterAll(async () => {
    await core.close();
  });

  const addresses = async (input: string) => {
    const resolution = await resolver.resolve(input);
    return resolution.kind === 'local'
      ? { accounts: resolution.accounts.map((account) => account.address).sort(), remote: resolution.remote }
      : resolution;
  };

  it('resolves users, aliases, nested lists and remote members', async () => {
    expect(await addresses('AMY@Store.Example')).toEqual({ accounts: ['amy@store.example'], remote: [] });
    expect(await addresses('sales@store.example')).toEqual({ accounts: ['amy@store.example'], remote: [] });
    expect(await addresses('team@store.example')).toEqual({
      accounts: ['amy@store.example', 'ben@store.example'],
      remote: ['partner@elsewhere.example'],
    });
    expect(await addresses('loop-a@store.example')).toEqual({ accounts: ['ben@store.example'], remote: [] });
  });

  it('tells an alias loop that reaches no one (RFC 3463 X.4.6) from an unknown address', async () => {
    expect(await resolver.resolve('ring-a@store.example')).toEqual({ kind: 'unknown', loop: true });
    expect(await resolver.resolve('ring-b+tag@store.example')).toEqual({ kind: 'unknown', loop: true });
  });

  it('refuses to add an alias that would lead back to itself', async () => {
    const { accounts } = services(core);
    await expect(accounts.addAlias('sales@store.example', ['amy@store.example'])).rejects.toThrow('already exists');
    await expect(accounts.addAlias('new@store.example', ['team@store.example', 'NEW@store.example'])).rejects.toThrow(
      'new@store.example would form a loop: new@store.example -> new@store.example',
    );
    await expect(accounts.addAlias('sales2@store.example', ['team@store.example'])).resolves.toMatchObject({
      address: 'sales2@store.example',
    });
  });

  it('tells unknown local users from remote domains and garbage', async () => {
    expect(await resolver.resolve('nobody@store.example')).toEqual({ kind: 'unknown' });
    expect(await resolver.resolve('someone@remote.example')).toEqual({ kind: 'remote', address: 'someone@remote.example' });
    expect(await resolver.resolve('not an address')).toEqual({ kind: 'invalid' });
  });

  it('delivers a sub-address (user+tag) to its user or alias unless an address of that name exists', async () => {
    expect(await addresses('Amy+News@store.example')).toEqual({ accounts: ['amy@store.example'], remote: [] });
    expect(await addresses('amy+vip@store.example')).toEqual({ accounts: ['ben@store.example'], remote: [] });
    expect(await addresses('team+q3@store.example')).toEqual({
      accounts: ['amy@store.example', 'ben@store.example'],
      remote: ['partner@elsewhere.example'],
    });
    expect(await resolver.resolve('nobody+tag@store.example')).toEqual({ kind: 'unknown' });
    expect(await resolver.resolve('+amy@store.example')).toEqual({ kind: 'unknown' });
  });

  it('delivers unknown local parts to the catch-all when one is set', async () => {
    await core.context
      .get(StoreService)
      .transaction((manager) => manager.update(DomainEntity, { name: 'store.example' }, { catchAll: 'ben@store.example' }));
    expect(await addresses('whatever@store.example')).toEqual({ accounts: ['ben@store.example'], remote: [] });
  });
});
