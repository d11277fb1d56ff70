import type { Server, Socket } from 'node:net';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics-registry.js';
import { clientNetwork } from '../util/client-network.js';
import type { NetworkList } from '../util/network-list.js';
import { ThrottledWarning } from '../util/throttled-warning.js';
import { ConnectionLimiter } from './connection-limiter.js';

export type GatedProtocol = 'smtp' | 'imap' | 'pop3' | 'http';

/** Why a connection was turned away: its address (an IPv6 /64) is at its protocol's cap, or the process is full. */
export type RefusalReason = 'address' | 'ceiling';

export type Admission = { kind: 'admitted'; release: () => void } | { kind: 'refused'; reason: RefusalReason };

export interface GateLimits {
  /** Open connections over every listener together (MAILHIVE_MAX_CONNECTIONS). */
  ceiling: number;
  /** Open connections per client address, per protocol (MAILHIVE_*_MAX_CONNECTIONS_PER_ADDRESS). */
  perAddress: Readonly<Record<GatedProtocol, number>>;
  /** Client networks the per-address caps do not apply to (MAILHIVE_TRUSTED_NETWORKS); the ceiling still does. */
  trusted: NetworkList;
}

export interface GuardPolicy {
  protocol: GatedProtocol;
  /**
   * What a refused client is told before the close, in its protocol's words; null closes without a word, as on an
   * implicit-TLS port, where nothing can be said before a handshake that refusing is meant to spare.
   */
  refusal: ((reason: RefusalReason) => string) | null;
}

/** How long a refused client gets to read its refusal before the descriptor is taken back. */
const REFUSAL_GRACE_MS = 1_000;

/** Refused connections kept open for their grace at once; past it a flood is closed without a word. */
const MAX_REFUSING = 256;

/** At most one warning per reason this often, however fast connections are refused. */
const WARNING_INTERVAL_MS = 60_000;

const refusalsTotal = new Counter({
  name: 'mailhive_connections_refused_total',
  help: 'Connections refused by the per-address caps and the global ceiling',
  labelNames: ['protocol', 'reason'],
  registers: [metricsRegistry],
});

/**
 * Admission for every listener of the process (SMTP, IMAP, POP3, HTTP): a cap per client address for each protocol,
 * an IPv6 client counted by its /64, and a global ceiling below the descriptor limit, so that no client, and no crowd
 * of clients, can take the descriptors the store and the other services need. Connections are counted from the TCP
 * accept, before any TLS handshake or greeting, until the socket closes.
 */
export class ConnectionGate {
  private open = 0;
  private refusing = 0;
  private readonly limiters: Record<GatedProtocol, ConnectionLimiter>;
  private readonly warnings: Record<RefusalReason, ThrottledWarning>;

  constructor(
    private readonly limits: GateLimits,
    logger: Logger,
  ) {
    const { perAddress } = limits;
    this.limiters = {
      smtp: new ConnectionLimiter(perAddress.smtp),
      imap: new ConnectionLimiter(perAddress.imap),
      pop3: new ConnectionLimiter(perAddress.pop3),
      http: new ConnectionLimiter(perAddress.http),
    };
    this.warnings = {
      address: new ThrottledWarning(logger, 'connection refused: too many from one client address', WARNING_INTERVAL_MS),
      ceiling: new ThrottledWarning(
        logger,
        'connection refused: the global connection ceiling (MAILHIVE_MAX_CONNECTIONS) is reached',
        WARNING_INTERVAL_MS,
      ),
    };
  }

  /** Open connections counted now, over every listener. */
  get openConnections(): number {
    return this.open;
  }

  /** Counts a connection in, or says why not; `release` (safe to call twice) counts it out. */
  admit(protocol: GatedProtocol, address: string): Admission {
    const refused = (reason: RefusalReason): Admission => {
      refusalsTotal.inc({ protocol, reason });
      this.warnings[reason].warn(
        reason === 'ceiling'
          ? { protocol, ceiling: this.limits.ceiling }
          : { protocol, client: clientNetwork(address), limit: this.limits.perAddress[protocol] },
      );
      return { kind: 'refused', reason };
    };
    if (this.open >= this.limits.ceiling) return refused('ceiling');
    const limiter = this.limits.trusted.has(address) ? null : this.limiters[protocol];
    if (limiter && !limiter.acquire(address)) return refused('address');
    this.open++;
    let released = false;
    return {
      kind: 'admitted',
      release: () => {
        if (released) return;
        released = true;
        this.open--;
        limiter?.release(address);
      },
    };
  }

  /**
   * Puts the gate in front of a server: its 'connection' listeners (the protocol's own accept, the TLS or HTTP
   * machinery) see only admitted sockets. Install after the server is built and before it listens; a 'connection'
   * listener added later would see refused sockets too.
   */
  guard(server: Server, policy: GuardPolicy): void {
    const accept = server.listeners('connection') as ((socket: Socket) => void)[];
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress;
      if (address === undefined) {
        // Reset before it was accepted: nothing to count and nobody to tell.
        socket.destroy();
        return;
      }
      const admission = this.admit(policy.protocol, address);
      if (admission.kind === 'refused') {
        this.refuse(socket, policy.refusal?.(admission.reason) ?? null);
        return;
      }
      countOutOnDestroy(socket, admission.release);
      for (const listener of accept) listener.call(server, socket);
    });
  }

  private refuse(socket: Socket, line: string | null): void {
    socket.on('error', () => undefined);
    if (line === null || this.refusing >= MAX_REFUSING) {
      socket.destroy();
      return;
    }
    this.refusing++;
    socket.once('close', () => {
      this.refusing--;
    });
    // Read and drop whatever the client sends, so that unread input does not turn the close into a reset that
    // could discard the refusal before the client reads it.
    socket.resume();
    socket.end(line);
    setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  }
}

/**
 * Calls `release` when the socket is destroyed, the one step every way of closing it goes through. A 'close'
 * listener is not enough: a library that takes the socket over may remove every listener on it (smtp-server does
 * at STARTTLS, before wrapping it in TLS), and the slot would never be given back.
 */
function countOutOnDestroy(socket: Socket, release: () => void): void {
  const destroy = socket._destroy.bind(socket);
  socket._destroy = (error, callback) => {
    release();
    destroy(error, callback);
  };
}
