import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Transform, type Readable } from 'node:stream';
import { BLOB_STORE, type BlobStore, type StoredBlob } from '../blob/blob-store.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { MailRepository } from '../store/repositories/mail.repository.js';
import { UploadRepository } from '../store/repositories/upload.repository.js';
import { StoreService } from '../store/store.service.js';
import type { PendingUpload, UploadLimits } from './pending-upload.js';

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * Why an upload was refused: larger than one upload may be (`too_big`), more than the account's quota has left
 * (`over_quota`), one upload more than a user may hold (`too_many`), more bytes than a user may hold in uploads
 * (`uploads_full`); `aborted` when the client went away mid-body. `limit` is the bound that was hit.
 */
export type UploadRefusal =
  { ok: false; reason: 'too_big' | 'over_quota' | 'too_many' | 'uploads_full'; limit: number } | { ok: false; reason: 'aborted' };
export type UploadOutcome = { ok: true; upload: UploadedFile } | UploadRefusal;

export type LoadedUpload = PendingUpload & { content: Buffer };
export type LoadOutcome = { ok: true; uploads: LoadedUpload[] } | { ok: false; reason: 'not_found' | 'too_big' };

/** Expired uploads released per transaction. */
const PURGE_BATCH = 100;

/**
 * Attachments uploaded ahead of sending (the webmail's sendMessage/saveDraft). The body streams to the blob store
 * (never whole in memory); an upload counts against the account's quota and holds a blob reference until a sent
 * message uses it or it expires, and a user holds at most `maxCount` uploads of `maxTotalBytes` in all. The limits
 * are the calling surface's; quota and blob references are the store's, which is why this lives in core.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly store: StoreService,
    private readonly uploads: UploadRepository,
    private readonly mail: MailRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  /**
   * Stores the body unless a limit refuses it: before a byte is read when the declared length or the user's
   * uploads already exceed one, while streaming once the bytes do, and in the transaction that charges the quota,
   * which decides for concurrent uploads. A body refused mid-way is left unread (the caller closes the connection).
   */
  async upload(
    limits: UploadLimits,
    accountId: number,
    body: Readable,
    filename: string,
    contentType: string,
    declaredLength: number | null,
  ): Promise<UploadOutcome> {
    await this.purge(limits, accountId);
    const room = await this.room(limits, accountId);
    if (room.count <= 0) return { ok: false, reason: 'too_many', limit: limits.maxCount };
    const bound = room.bounds.reduce((least, item) => (item.limit < least.limit ? item : least));
    if (declaredLength !== null && declaredLength > bound.limit) return { ok: false, ...bound };

    const stored = await this.stream(body, bound.limit);
    if (!stored.ok) return stored.reason === 'over' ? { ok: false, ...bound } : { ok: false, reason: 'aborted' };
    const blob = stored.blob;
    const row: PendingUpload = {
      id: randomBytes(12).toString('hex'),
      accountId,
      blobId: blob.id,
      filename: filename.slice(0, 255),
      contentType: contentType.slice(0, 255),
      size: blob.size,
      createdAt: Date.now(),
    };
    // The account row the quota charge updates is locked until commit, so concurrent uploads of one user count
    // each other here. A refused blob has no reference and goes with the next blob sweep.
    const refusal = await this.store.transaction(async (manager): Promise<UploadRefusal | null> => {
      if (!(await this.mail.chargeQuota(manager, accountId, blob.size)))
        return { ok: false, reason: 'over_quota', limit: (await this.uploads.quota(manager, accountId))?.quotaBytes ?? 0 };
      const usage = await this.uploads.usage(manager, accountId);
      const over: UploadRefusal | null =
        usage.count >= limits.maxCount
          ? { ok: false, reason: 'too_many', limit: limits.maxCount }
          : usage.bytes + blob.size > limits.maxTotalBytes
            ? { ok: false, reason: 'uploads_full', limit: limits.maxTotalBytes }
            : null;
      if (over) {
        await this.mail.releaseQuota(manager, accountId, blob.size);
        return over;
      }
      await this.uploads.insert(manager, row);
      return null;
    });
    if (refusal) return refusal;
    return { ok: true, upload: { id: row.id, filename: row.filename, contentType: row.contentType, size: row.size } };
  }

  /** Uploads the user may still make, and the byte bounds the next one must stay within. */
  private async room(
    limits: UploadLimits,
    accountId: number,
  ): Promise<{ count: number; bounds: { reason: 'too_big' | 'over_quota' | 'uploads_full'; limit: number }[] }> {
    const [usage, quota] = await Promise.all([
      this.uploads.usage(this.store.reader, accountId),
      this.uploads.quota(this.store.reader, accountId),
    ]);
    const bounds: { reason: 'too_big' | 'over_quota' | 'uploads_full'; limit: number }[] = [
      { reason: 'too_big', limit: limits.maxBytes },
      { reason: 'uploads_full', limit: Math.max(0, limits.maxTotalBytes - usage.bytes) },
    ];
    if (quota && quota.quotaBytes > 0) bounds.push({ reason: 'over_quota', limit: Math.max(0, quota.quotaBytes - quota.usedBytes) });
    return { count: limits.maxCount - usage.count, bounds };
  }

  /** Streams the body into the blob store, failing as soon as it passes `limit` bytes. */
  private async stream(body: Readable, limit: number): Promise<{ ok: true; blob: StoredBlob } | { ok: false; reason: 'over' | 'aborted' }> {
    let size = 0;
    let over = false;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size <= limit) return done(null, chunk);
        over = true;
        done(new Error('upload larger than allowed'));
      },
    });
    // Piping, not pipeline(): a refused body is left unread instead of destroying the request, so that the refusal
    // can still be answered on its connection.
    const abort = (error?: Error) => {
      if (!body.readableEnded) counter.destroy(error ?? new Error('upload aborted'));
    };
    body.once('error', abort);
    body.once('close', () => abort());
    body.pipe(counter);
    try {
      return { ok: true, blob: await this.blobs.put(counter) };
    } catch (error) {
      if (over) return { ok: false, reason: 'over' };
      if (body.destroyed && !body.readableEnded) return { ok: false, reason: 'aborted' };
      throw error;
    } finally {
      body.unpipe(counter);
      body.off('error', abort);
    }
  }

  /**
   * The account's uploads with these ids and their content; `not_found` when any id is unknown or someone else's,
   * `too_big` when together they exceed the largest message, checked before any is read into memory.
   */
  async load(limits: UploadLimits, accountId: number, ids: readonly string[]): Promise<LoadOutcome> {
    const unique = [...new Set(ids)];
    // Nobody holds more uploads than that: a longer list names some that are not there.
    if (unique.length > limits.maxCount) return { ok: false, reason: 'not_found' };
    const rows = await this.uploads.find(accountId, unique);
    if (rows.length !== unique.length) return { ok: false, reason: 'not_found' };
    const byId = new Map(rows.map((row) => [row.id, row]));
    const total = ids.reduce((sum, id) => sum + (byId.get(id) as PendingUpload).size, 0);
    if (total > this.config.maxMessageSize) return { ok: false, reason: 'too_big' };
    const uploads = await Promise.all(
      ids.map(async (id) => {
        const row = byId.get(id) as PendingUpload;
        return { ...row, content: await this.blobs.get(row.blobId) };
      }),
    );
    return { ok: true, uploads };
  }

  /** Drops uploads once their content is part of a sent message. */
  async consume(rows: readonly PendingUpload[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.transaction((manager) => this.uploads.release(manager, rows));
  }

  /**
   * Releases uploads older than the lifetime, the account's or (null) everyone's; returns how many. Runs in
   * batches, so one purge never holds a long transaction.
   */
  async purge(limits: UploadLimits, accountId: number | null, maxBatches = 1): Promise<number> {
    const before = Date.now() - limits.lifetimeMs;
    let released = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      // Looked for outside a transaction, so that a purge with nothing to do takes no write lock; release() counts
      // only the rows it deletes itself.
      const expired = await this.uploads.expired(this.store.reader, accountId, before, PURGE_BATCH);
      if (expired.length === 0) break;
      released += await this.store.transaction((manager) => this.uploads.release(manager, expired));
      if (expired.length < PURGE_BATCH) break;
    }
    return released;
  }
}
