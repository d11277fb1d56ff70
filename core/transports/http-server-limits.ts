import type { Server } from 'node:http';
import type { MailhiveConfig } from '../config/config.schema.js';
import type { ConnectionGate, RefusalReason } from './connection-gate.js';

/** Time to send the request headers, so that a client trickling headers (or nothing) holds no socket for long. */
const HEADERS_TIMEOUT_MS = 20_000;

/**
 * How often Node checks open requests against the two timeouts; its default of 30 s would let a slow client
 * overstay a 30 s request timeout by as much again.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** Seconds a refused client is asked to wait before it tries again (RFC 9110 §10.2.3). */
const RETRY_AFTER_SECONDS = 30;

const REFUSAL_TEXT: Record<RefusalReason, string> = {
  address: 'Too many connections from your address, try again later\n',
  ceiling: 'Too many connections, try again later\n',
};

/**
 * The HTTP server's limits, set before it listens: a request (headers and body) must arrive within
 * MAILHIVE_HTTP_REQUEST_TIMEOUT_SECONDS or the client gets 408 and is closed; an upgraded connection (graphql-ws)
 * leaves Node's request tracking and is not bound by it. Connections, websockets included, pass the connection
 * gate; a refused one is answered 503 before its request is read.
 */
export function applyHttpServerLimits(server: Server, config: MailhiveConfig, gate: ConnectionGate): void {
  const requestTimeoutMs = config.httpRequestTimeoutSeconds * 1000;
  server.requestTimeout = requestTimeoutMs;
  // Node requires the headers timeout not to exceed the request timeout.
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
  // Node reads this from the server when it starts listening; @types/node declares it only as a createServer
  // option, and Nest creates the server.
  Object.assign(server, { connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS });
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
