import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { metricsRegistry } from '../metrics/metrics-registry.js';
import { metricsAccessAllowed } from './metrics-access.js';

@Controller()
export class MetricsController {
  constructor(@Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig) {}

  /** Prometheus figures, for loopback clients and holders of MAILHIVE_METRICS_TOKEN only (403 for anyone else). */
  @Get('metrics')
  async metrics(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!metricsAccessAllowed(request.socket.remoteAddress, request.headers.authorization, this.config.metricsToken)) {
      response.status(403).type('text/plain').send('forbidden\n');
      return;
    }
    response
      .status(200)
      .type(metricsRegistry.contentType)
      .send(await metricsRegistry.metrics());
  }
}
