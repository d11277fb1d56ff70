import { Counter } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';

export const smtpMessagesTotal = new Counter({
  name: 'mailhive_smtp_messages_total',
  help: 'Messages at the end of DATA by listener and outcome',
  labelNames: ['listener', 'outcome'],
  registers: [metricsRegistry],
});

export const smtpRefusalsTotal = new Counter({
  name: 'mailhive_smtp_refusals_total',
  help: 'Refused SMTP commands by reply code',
  labelNames: ['listener', 'code'],
  registers: [metricsRegistry],
});
