import { Inject, Injectable } from '@nestjs/common';
import { In, LessThanOrEqual, type EntityManager } from 'typeorm';
import type { StoredBlob } from '../blob/blob-store.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { MailRepository } from '../store/repositories/mail.repository.js';
import { OutboundMessageEntity } from '../store/entities/outbound-message.entity.js';
import { StoreService } from '../store/store.service.js';
import type { MessageDsn, RecipientDsn } from '../envelope/dsn-params.js';

export interface EnqueueRequest {
  /** Envelope sender; '' for a bounce (null sender). */
  sender: string;
  recipients: readonly string[];
  blob: StoredBlob;
  /** RFC 3461 parameters given in the SMTP envelope, if any. */
  dsn?: MessageDsn;
}

/** Longest wait between two attempts, whatever the attempt count. */
const MAX_BACKOFF_MS = 4 * 3600_000;
/** A row left in `sending` this long (its node died) is handed out again. */
const STALE_SENDING_MS = 15 * 60_000;

/**
 * The durable outbound queue: one row per destination domain. The row holds a reference on its blob, so the
 * sweeper keeps the raw message until the row is finished.
 */
@Injectable()
export class OutboundQueueService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: StoreService,
    private readonly repository: MailRepository,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  /** Queues the message for its remote recipients, one row per domain; returns the row ids. */
  async enqueue(request: EnqueueRequest): Promise<number[]> {
    const ids = await this.store.transaction((manager) => this.insert(manager, request));
    this.notify();
    return ids;
  }

  /**
   * Queues inside the caller's transaction (with the local copies of the same message); call `notify()` after
   * the commit.
   */
  async insert(manager: EntityManager, request: EnqueueRequest): Promise<number[]> {
    const byDomain = new Map<string, string[]>();
    for (const recipient of new Set(request.recipients)) {
      const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
      byDomain.set(domain, [...byDomain.get(domain) ?? [], recipient]);
    }
    if (byDomain.size === 0) return [];
    const now = Date.now();
    const result: number[] = [];
    for (const [domain, recipients] of byDomain) {
      const inserted = await manager.insert(OutboundMessageEntity, {
        sender: request.sender, recipients, domain, blobId: request.blob.id, status: 'queued', attempts: 0,
        nextAttemptAt: now, expiresAt: now + this.config.outboundLifetimeSeconds * 1000, lastError: null, createdAt: now,
        dsnRet: request.dsn?.ret ?? null, dsnEnvid: request.dsn?.envid ?? null,
        dsnRecipients: request.dsn ? recipientDsnOf(request.dsn, recipients) : null, delayNotifiedAt: null,
      });
      result.push(Number(inserted.identifiers[0].id));
    }
    await this.repository.addBlobRefs(manager, request.blob.id, request.blob.size, result.length);
    return result;
  }

  /** Wakes this node's worker after rows were queued and committed. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Called after every enqueue on this node, so the worker starts at once instead of at its next poll. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Takes up to `limit` due rows and marks them `sending`. On MySQL the rows are locked with SKIP LOCKED so that
   * workers on several nodes never take the same row; on SQLite the single writer serialises the claim.
   */
  async claim(limit: number): Promise<OutboundMessageEntity[]> {
    const now = Date.now();
    return this.store.transaction(async (manager) => {
      const query = manager.createQueryBuilder(OutboundMessageEntity, 'q')
        .where('(q.status = :queued AND q.nextAttemptAt <= :now) OR (q.status = :sending AND q.nextAttemptAt <= :stale)',
          { queued: 'queued', sending: 'sending', now, stale: now - STALE_SENDING_MS })
        .orderBy('q.nextAttemptAt', 'ASC').limit(limit);
      if (!this.store.isSqlite) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      await manager.update(OutboundMessageEntity, { id: In(rows.map((row) => row.id)) }, { status: 'sending', nextAttemptAt: now });
      return rows.map((row) => ({ ...row, status: 'sending' as const }));
    });
  }

  /** Every recipient of the row is done (delivered or bounced): the row goes, with its blob reference. */
  async finish(row: OutboundMessageEntity): Promise<void> {
    await this.store.transaction(async (manager) => this.remove(manager, row));
  }

  /**
   * Some recipients failed temporarily: keep them and try again later, or report expiry. `delayNotified` records
   * that the delayed DSN of this row has gone out.
   */
  async defer(row: OutboundMessageEntity, recipients: readonly string[], error: string, delayNotified = false): Promise<'deferred' | 'expired'> {
    const now = Date.now();
    const attempts = row.attempts + 1;
    const delay = Math.min(MAX_BACKOFF_MS, this.config.outboundRetrySeconds * 1000 * 2 ** (attempts - 1));
    if (now >= row.expiresAt) return 'expired';
    await this.store.transaction((manager) => manager.update(OutboundMessageEntity, { id: row.id }, {
      status: 'queued', attempts, recipients: [...recipients], lastError: error.slice(0, 2000),
      nextAttemptAt: Math.min(now + delay, row.expiresAt),
      ...(delayNotified ? { delayNotifiedAt: now } : {}),
    }));
    return 'deferred';
  }

  async list(): Promise<OutboundMessageEntity[]> {
    return this.store.reader.find(OutboundMessageEntity, { order: { id: 'ASC' } });
  }

  async due(): Promise<number> {
    return this.store.reader.countBy(OutboundMessageEntity, { status: 'queued', nextAttemptAt: LessThanOrEqual(Date.now()) });
  }

  /** Operator: try the row again now. False when there is no such row. */
  async retry(id: number): Promise<boolean> {
    const result = await this.store.transaction((manager) => manager.update(OutboundMessageEntity, { id }, { status: 'queued', nextAttemptAt: Date.now() }));
    if ((result.affected ?? 0) > 0) for (const listener of this.listeners) listener();
    return (result.affected ?? 0) > 0;
  }

  /** Operator: drop the row without a bounce. False when there is no such row. */
  async delete(id: number): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const row = await manager.findOneBy(OutboundMessageEntity, { id });
      if (!row) return false;
      await this.remove(manager, row);
      return true;
    });
  }

  private async remove(manager: EntityManager, row: OutboundMessageEntity): Promise<void> {
    const result = await manager.delete(OutboundMessageEntity, { id: row.id });
    if ((result.affected ?? 0) > 0) await this.repository.releaseBlobRefs(manager, [row.blobId]);
  }
}

/** The DSN parameters of these recipients; null when none gave any. */
function recipientDsnOf(dsn: MessageDsn, recipients: readonly string[]): Record<string, RecipientDsn> | null {
  const entries = recipients.flatMap((recipient) => {
    const found = dsn.recipients[recipient.toLowerCase()];
    return found ? [[recipient.toLowerCase(), found] as const] : [];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}
