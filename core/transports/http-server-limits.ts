import type { Server } from 'node:http';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { ConnectionGate, RefusalReason } from './connection-gate.js';

/** Seconds a refused client is asked to wait before it tries again (RFC 9110 §10.2.3). */
const RETRY_AFTER_SECONDS = 30;

const REFUSAL_TEXT: Record<RefusalReason, string> = {
  address: 'Too many connections from your address, try again later\n',
  ceiling: 'Too many connections, try again later\n',
};

/**
 * The HTTP server's limits, set before it listens: connections, websockets included, pass the connection gate; a
 * refused one is answered 503 before its request is read.
 */
export function applyHttpServerLimits(server: Server, config: MailhiveConfig, gate: ConnectionGate): void {
  gate.guard(server, { protocol: 'http', refusal: (reason) => serviceUnavailable(REFUSAL_TEXT[reason]) });
}

function serviceUnavailable(text: string): string {
  return [
    'HTTP/1.1 503 Service Unavailable',
    'Connection: close',
    `Retry-After: ${RETRY_AFTER_SECONDS}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    '',
    text,
  ].join('\r\n');
}
