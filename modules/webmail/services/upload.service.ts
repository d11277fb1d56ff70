import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { BLOB_STORE, type BlobStore } from '../../../core/blob/blob-store.js';
import { MailRepository } from '../../../core/mail/mail.repository.js';
import { StoreService } from '../../../core/store/store.service.js';
import { UploadRepository, type UploadRow } from '../repositories/upload.repository.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export type UploadOutcome = { ok: true; upload: UploadedFile } | { ok: false; reason: 'too_big' };

/** Attachments uploaded ahead of sendMessage/saveDraft: stored as blobs, holding a blob reference until used or expired. */
@Injectable()
export class UploadService {
  constructor(
    private readonly store: StoreService,
    private readonly uploads: UploadRepository,
    private readonly mail: MailRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(WEBMAIL_OPTIONS) private readonly options: WebmailOptions,
  ) {}

  /** Reads the body up to the limit; past it the upload is refused without storing anything. */
  async upload(accountId: number, body: Readable, filename: string, contentType: string): Promise<UploadOutcome> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > this.options.uploadLimitBytes) {
        body.destroy();
        return { ok: false, reason: 'too_big' };
      }
      chunks.push(buffer);
    }
    const blob = await this.blobs.put(Buffer.concat(chunks));
    const row: UploadRow = {
      id: randomBytes(12).toString('hex'), accountId, blobId: blob.id, filename: filename.slice(0, 255),
      contentType: contentType.slice(0, 255), size: blob.size, createdAt: Date.now(),
    };
    await this.store.transaction(async (manager) => {
      await this.uploads.insert(manager, row);
      await this.mail.addBlobRefs(manager, blob.id, blob.size, 1);
      const old = await this.uploads.expired(manager, accountId, Date.now() - this.options.uploadLifetimeMs);
      await this.release(manager, old);
    });
    return { ok: true, upload: { id: row.id, filename: row.filename, contentType: row.contentType, size: row.size } };
  }

  /** The account's uploads with these ids and their content; null when any id is unknown or someone else's. */
  async load(accountId: number, ids: readonly string[]): Promise<(UploadRow & { content: Buffer })[] | null> {
    const unique = [...new Set(ids)];
    const rows = await this.uploads.find(accountId, unique);
    if (rows.length !== unique.length) return null;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return Promise.all(ids.map(async (id) => {
      const row = byId.get(id) as UploadRow;
      return { ...row, content: await this.blobs.get(row.blobId) };
    }));
  }

  /** Drops uploads once their content is part of a stored message. */
  async consume(rows: readonly UploadRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.transaction((manager) => this.release(manager, rows));
  }

  private async release(manager: EntityManager, rows: readonly UploadRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.uploads.delete(manager, rows.map((row) => row.id));
    await this.mail.releaseBlobRefs(manager, rows.map((row) => row.blobId));
  }
}
