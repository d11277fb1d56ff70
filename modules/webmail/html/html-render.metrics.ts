import { Counter } from 'prom-client';
import { metricsRegistry } from '../../../core/metrics/metrics-registry.js';

export const htmlRendersTotal = new Counter({
  name: 'mailhive_webmail_html_renders_total',
  help: 'HTML bodies asked for by the webmail API: rendered in a worker thread, served from the cache, refused busy or failed',
  labelNames: ['result'],
  registers: [metricsRegistry],
});
