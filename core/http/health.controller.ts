import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BLOB_STORE, type BlobStore } from '../blob/blob-store.js';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import { StoreService } from '../store/store.service.js';

@Controller()
export class HealthController {
  constructor(
    private readonly store: StoreService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(EVENT_BUS) private readonly events: EventBus,
  ) {}

  /**
   * 503 when the database or the blob store does not answer: the node cannot take mail. A node cut off from the
   * message bus still takes and serves mail (its clients see other nodes' changes late), and every node loses the
   * bus at once in an outage, so it stays 200 for load balancers, with `degraded` for monitoring.
   */
  @Get('healthz')
  async health(@Res() response: Response): Promise<void> {
    const [database, blobStore] = await Promise.all([this.store.ping(), this.blobs.health()]);
    const bus = this.events.connected();
    const status = database && blobStore && bus ? 'ok' : 'degraded';
    response.status(database && blobStore ? 200 : 503).json({
      status,
      database: database ? 'ok' : 'down',
      blobStore: blobStore ? 'ok' : 'down',
      bus: bus ? 'ok' : 'down',
    });
  }
}
