import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';

export const imapCommandsTotal = new Counter({
  name: 'mailhive_imap_commands_total',
  help: 'IMAP commands by verb and tagged status',
  labelNames: ['verb', 'status'],
  registers: [metricsRegistry],
});

export const imapCommandSeconds = new Histogram({
  name: 'mailhive_imap_command_seconds',
  help: 'IMAP command duration',
  labelNames: ['verb'],
  buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
  registers: [metricsRegistry],
});
