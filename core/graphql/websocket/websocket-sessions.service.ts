import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccessTokenService } from '../../accounts/access-token.service.js';
import type { MailhiveConfig } from '../../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../config/config.token.js';
import { LOGGER } from '../../logging/logger.js';
import { CLOSE_UNAUTHORIZED } from './graphql-ws.limits.js';

/** The part of a `ws` socket this service uses. */
export interface SessionSocket {
  readonly readyState: number;
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

interface Followed {
  socket: SessionSocket;
  secret: string;
  tokenId: number;
  expiry: NodeJS.Timeout | null;
}

/** setTimeout holds at most 2^31-1 ms; a later expiry is re-armed when this passes. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Session tokens verified at once by one re-check, so a node with many sockets does not empty the database pool. */
const RECHECK_CONCURRENCY = 4;
const WS_OPEN = 1;

/**
 * A GraphQL websocket lives only as long as the session it authenticated with. Its token is verified at
 * connection_init; after that the socket is closed (4401) at the token's expiry, at once when the session is
 * ended on this node (logout, device sign-out), and within one re-check interval when it ends anywhere else:
 * revoked by another node, by a password change, or the account disabled. Tokens live in the shared database,
 * so the re-check sees what every node did.
 */
@Injectable()
export class WebsocketSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly followed = new Set<Followed>();
  private timer: NodeJS.Timeout | null = null;
  private rechecking = false;

  constructor(
    private readonly tokens: AccessTokenService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.recheck(), this.config.graphqlWsSessionCheckSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    for (const entry of this.followed) this.forget(entry);
  }

  /** Verifies `secret` and follows the socket until its session ends; false (nothing followed) when it is not live. */
  async follow(socket: SessionSocket, secret: string): Promise<boolean> {
    const verified = await this.tokens.verifySession(secret);
    if (!verified || socket.readyState !== WS_OPEN) return false;
    const entry: Followed = { socket, secret, tokenId: verified.token.id, expiry: null };
    this.followed.add(entry);
    this.armExpiry(entry, Number(verified.token.expiresAt));
    socket.once('close', () => this.forget(entry));
    return true;
  }

  /** Closes the sockets of a session ended on this node (the token given to the client). */
  endSession(secret: string): void {
    for (const entry of this.followed) if (entry.secret === secret) this.end(entry, 'Session ended');
  }

  /** Closes the sockets of a session ended on this node (the token's id, as listed in deviceSessions). */
  endSessionById(tokenId: number): void {
    for (const entry of this.followed) if (entry.tokenId === tokenId) this.end(entry, 'Session ended');
  }

  /** Verifies every followed session once; exposed for the interval and for tests. */
  async recheck(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const bySecret = new Map<string, Followed[]>();
      for (const entry of this.followed) {
        const group = bySecret.get(entry.secret);
        if (group) group.push(entry);
        else bySecret.set(entry.secret, [entry]);
      }
      const secrets = [...bySecret.keys()];
      for (let start = 0; start < secrets.length; start += RECHECK_CONCURRENCY) {
        await Promise.all(
          secrets.slice(start, start + RECHECK_CONCURRENCY).map(async (secret) => {
            if (await this.tokens.verifySession(secret)) return;
            for (const entry of bySecret.get(secret) ?? []) this.end(entry, 'Session ended');
          }),
        );
      }
    } catch (error) {
      // A database hiccup keeps the sockets until the next check rather than dropping every client.
      this.logger.warn({ err: error }, 'GraphQL websocket session re-check failed');
    } finally {
      this.rechecking = false;
    }
  }

  private armExpiry(entry: Followed, expiresAt: number): void {
    const wait = expiresAt - Date.now();
    entry.expiry = setTimeout(
      () => {
        if (Date.now() >= expiresAt) this.end(entry, 'Session expired');
        else this.armExpiry(entry, expiresAt);
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    entry.expiry.unref();
  }

  private end(entry: Followed, reason: string): void {
    this.forget(entry);
    entry.socket.close(CLOSE_UNAUTHORIZED, reason);
  }

  private forget(entry: Followed): void {
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.expiry = null;
    this.followed.delete(entry);
  }
}
