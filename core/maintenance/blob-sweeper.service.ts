import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BLOB_STORE, type BlobStore } from '../blob/blob-store.js';
import { LeaseService } from '../leases/lease.service.js';
import { LOGGER } from '../logging/logger.js';
import { CHUNK } from '../store/repositories/mail.repository.js';
import { BlobRepository } from '../store/repositories/blob.repository.js';

/**
 * Blobs written within this window are never swept: a delivery writes its blob first and counts the reference in
 * its transaction right after, and a rewrite of existing content refreshes the file's time.
 */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/**
 * Nodes sharing a store take turns through this lease: one sweeps at a time. It outlasts an interval, so the node
 * holding it keeps it from one sweep to the next, and another node takes over once that node is gone.
 */
export const SWEEP_LEASE = 'maintenance:blob-sweep';
const SWEEP_LEASE_MS = 2 * SWEEP_INTERVAL_MS;

export interface SweepResult {
  removed: number;
  bytes: number;
}

/** Frees the space of deleted mail: blobs whose reference count fell to zero, and files no row refers to. */
@Injectable()
export class BlobSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly owner = randomUUID();

  constructor(
    private readonly rows: BlobRepository,
    private readonly leases: LeaseService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweepIfLeader().catch((error: unknown) => this.logger.error({ err: error }, 'blob sweep failed'));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Sweeps when this node holds the sweep lease (or takes it); false when another node does the sweeping. */
  async sweepIfLeader(graceMs = SWEEP_GRACE_MS): Promise<SweepResult | false> {
    if (!(await this.leases.acquire(SWEEP_LEASE, this.owner, SWEEP_LEASE_MS))) return false;
    return this.sweep(graceMs);
  }

  async sweep(graceMs = SWEEP_GRACE_MS): Promise<SweepResult> {
    const cutoff = Date.now() - graceMs;
    let removed = 0;
    let bytes = 0;
    const unreferenced = await this.rows.unreferenced();
    for (const blob of unreferenced) {
      // The row goes first, and only if still unreferenced: a delivery racing with the sweep recreates the row.
      if (!(await this.rows.deleteIfUnreferenced(blob.id))) continue;
      const file = await this.blobs.stat(blob.id);
      if (file && file.writtenAt <= cutoff) {
        await this.blobs.delete(blob.id);
        removed++;
        bytes += blob.size;
      }
    }
    // Files without a row: written by a delivery that crashed before its commit.
    let batch: string[] = [];
    const sweepOrphans = async () => {
      const referenced = await this.rows.known(batch);
      for (const id of batch.filter((candidate) => !referenced.has(candidate))) {
        await this.blobs.delete(id);
        removed++;
      }
      batch = [];
    };
    for await (const file of this.blobs.list()) {
      if (file.writtenAt > cutoff) continue;
      batch.push(file.id);
      if (batch.length >= CHUNK) await sweepOrphans();
    }
    if (batch.length > 0) await sweepOrphans();
    // What this sweep deleted is compacted by a later one, once no process can still be about to reuse it.
    const compacted = await this.blobs.compact?.();
    if (removed > 0 || compacted?.packs) this.logger.info({ removed, bytes, compacted }, 'blob sweep');
    return { removed, bytes };
  }
}
