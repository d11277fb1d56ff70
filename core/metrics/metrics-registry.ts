import { Counter, Gauge, collectDefaultMetrics, Registry } from 'prom-client';

/** The process's Prometheus registry; protocol servers add their own counters here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'mailhive_' });

export const connectionsTotal = new Counter({
  name: 'mailhive_connections_total',
  help: 'Accepted protocol connections',
  labelNames: ['protocol'],
  registers: [metricsRegistry],
});
export const activeConnections = new Gauge({
  name: 'mailhive_active_connections',
  help: 'Open protocol connections',
  labelNames: ['protocol'],
  registers: [metricsRegistry],
});
export const messagesStoredTotal = new Counter({
  name: 'mailhive_messages_stored_total',
  help: 'Messages filed into mailboxes',
  labelNames: ['via'],
  registers: [metricsRegistry],
});
export const loginsTotal = new Counter({
  name: 'mailhive_logins_total',
  help: 'Login attempts by protocol and outcome',
  labelNames: ['protocol', 'outcome'],
  registers: [metricsRegistry],
});
