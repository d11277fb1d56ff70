import { Counter } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';

/**
 * Blobs POP3 read, by purpose: `size` when a message's CRLF size was not stored yet (rows older than the column),
 * `content` for RETR and TOP. After the first session on old rows, `size` stays still: sizes come from the rows.
 */
export const pop3BlobReadsTotal = new Counter({
  name: 'mailhive_pop3_blob_reads_total',
  help: 'Message blobs read by POP3, by purpose (size, content)',
  labelNames: ['purpose'],
  registers: [metricsRegistry],
});
