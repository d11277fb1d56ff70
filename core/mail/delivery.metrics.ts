import { Counter } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';

/** Messages whose remote recipients were queued for outbound delivery, by the surface they came in through. */
export const messagesQueuedTotal = new Counter({
  name: 'mailhive_messages_queued_total',
  help: 'Messages queued for remote recipients',
  labelNames: ['via'],
  registers: [metricsRegistry],
});

/** Local recipients whose copy was not stored after the message was taken: plugin reject or discard, quota. */
export const recipientsRefusedTotal = new Counter({
  name: 'mailhive_recipients_refused_total',
  help: 'Local recipients refused at delivery, by reason',
  labelNames: ['via', 'reason'],
  registers: [metricsRegistry],
});
