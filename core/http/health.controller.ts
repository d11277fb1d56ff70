import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BLOB_STORE, type BlobStore } from '../blob/blob-store.js';
import { StoreService } from '../store/store.service.js';

@Controller()
export class HealthController {
  constructor(
    private readonly store: StoreService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** 200 when the database and the blob store answer, 503 otherwise. */
  @Get('healthz')
  async health(@Res() response: Response): Promise<void> {
    const [database, blobStore] = await Promise.all([this.store.ping(), this.blobs.health()]);
    const status = database && blobStore ? 'ok' : 'degraded';
    response.status(status === 'ok' ? 200 : 503).json({
      status,
      database: database ? 'ok' : 'down',
      blobStore: blobStore ? 'ok' : 'down',
    });
  }
}
