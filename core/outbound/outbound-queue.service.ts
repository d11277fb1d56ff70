import { Inject, Injectable } from '@nestjs/common';
import type { StoredBlob } from '../blob/blob-store.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import type { OutboundMessageEntity } from '../store/entities/outbound-message.entity.js';
import { OutboundQueueRepository, type NewOutboundRow } from '../store/repositories/outbound-queue.repository.js';
import { StoreService, type StoreTransaction } from '../store/store.service.js';
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

/**
 * The durable outbound queue: one row per destination domain. The row holds a reference on its blob, so the
 * sweeper keeps the raw message until the row is finished.
 */
@Injectable()
export class OutboundQueueService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: StoreService,
    private readonly queue: OutboundQueueRepository,
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
  async insert(manager: StoreTransaction, request: EnqueueRequest): Promise<number[]> {
    const byDomain = new Map<string, string[]>();
    for (const recipient of new Set(request.recipients)) {
      const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), recipient]);
    }
    if (byDomain.size === 0) return [];
    const now = Date.now();
    const rows = [...byDomain].map(([domain, recipients]): NewOutboundRow => ({
      sender: request.sender,
      recipients,
      domain,
      blobId: request.blob.id,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      expiresAt: now + this.config.outboundLifetimeSeconds * 1000,
      lastError: null,
      createdAt: now,
      dsnRet: request.dsn?.ret ?? null,
      dsnEnvid: request.dsn?.envid ?? null,
      dsnRecipients: request.dsn ? recipientDsnOf(request.dsn, recipients) : null,
      delayNotifiedAt: null,
      leaseOwner: null,
    }));
    return this.queue.insert(manager, rows, request.blob.size);
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
   * Takes up to `limit` due rows (and rows whose holder's lease lapsed) and marks them `sending`, leased to `owner`. On MySQL the rows are locked with SKIP LOCKED so that
   * workers on several nodes never take the same row; on SQLite the single writer serialises the claim.
   */
  async claim(limit: number, owner: string): Promise<OutboundMessageEntity[]> {
    const now = Date.now();
    return this.queue.claim(limit, now, now - this.config.outboundLeaseSeconds * 1000, owner);
  }

  /**
   * Extends `owner`'s lease on rows it is delivering. A row whose lease lapsed (its node died or stalled for the
   * whole lease) is handed to another worker; this one then no longer renews it.
   */
  renew(ids: readonly number[], owner: string): Promise<number> {
    return this.queue.renew(ids, owner, Date.now());
  }

  /** Every recipient of the row is done (delivered or bounced): the row goes, with its blob reference. */
  async finish(row: OutboundMessageEntity): Promise<void> {
    await this.store.transaction((manager) => this.queue.delete(manager, row));
  }

  /**
   * Some recipients failed temporarily: keep them and try again later, or report expiry. `delayNotified` records
   * that the delayed DSN of this row has gone out.
   */
  async defer(
    row: OutboundMessageEntity,
    recipients: readonly string[],
    error: string,
    delayNotified = false,
  ): Promise<'deferred' | 'expired'> {
    const now = Date.now();
    const attempts = row.attempts + 1;
    const delay = Math.min(MAX_BACKOFF_MS, this.config.outboundRetrySeconds * 1000 * 2 ** (attempts - 1));
    if (now >= row.expiresAt) return 'expired';
    await this.queue.requeue(row.id, {
      attempts,
      recipients: [...recipients],
      lastError: error.slice(0, 2000),
      nextAttemptAt: Math.min(now + delay, row.expiresAt),
      ...(delayNotified ? { delayNotifiedAt: now } : {}),
    });
    return 'deferred';
  }

  async list(): Promise<OutboundMessageEntity[]> {
    return this.queue.list();
  }

  async due(): Promise<number> {
    return this.queue.due(Date.now());
  }

  /** Operator: try the row again now. False when there is no such row. */
  async retry(id: number): Promise<boolean> {
    const found = await this.queue.retryNow(id, Date.now());
    if (found) this.notify();
    return found;
  }

  /** Operator: drop the row without a bounce. False when there is no such row. */
  async delete(id: number): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const row = await this.queue.find(manager, id);
      if (!row) return false;
      await this.queue.delete(manager, row);
      return true;
    });
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
