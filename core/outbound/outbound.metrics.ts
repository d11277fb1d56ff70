import { Counter } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';

export const outboundRecipientsTotal = new Counter({
  name: 'mailhive_outbound_recipients_total',
  help: 'Outbound delivery attempts per recipient by result (delivered, deferred, failed, expired)',
  labelNames: ['result'],
  registers: [metricsRegistry],
});
