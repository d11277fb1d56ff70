import type { BoundPorts } from './bound-ports.js';
import type { ConnectionGate } from './connection-gate.js';

/**
 * A protocol listener set (SMTP, POP3, IMAP) started by core after the store is ready and stopped on shutdown.
 * `start` puts the shared connection gate in front of every listener it opens; `stop` stops accepting connections
 * at once and resolves when the open sessions have ended or were closed.
 * `start` resolves with the ports it bound, which differ from the configured ones where those are 0.
 */
export interface ProtocolServer {
  readonly name: string;
  start(gate: ConnectionGate): Promise<BoundPorts>;
  stop(): Promise<void>;
}

/**
 * The protocol servers TransportsService starts, in order: the composition root provides them under this token, so
 * that transports depend on the ProtocolServer contract and not on SMTP, POP3 or IMAP.
 */
export const PROTOCOL_SERVERS = Symbol('PROTOCOL_SERVERS');
