import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { activeConnections, connectionsTotal } from '../metrics/metrics-registry.js';
import type { Pop3Backend } from './pop3-backend.js';
import { Pop3SessionState, type Pop3Context } from './pop3-command.js';
import type { Pop3Dispatcher } from './pop3-dispatcher.js';
import { Pop3LineReader, type FramedLine } from './pop3-line-reader.js';
import { POP3_LIMITS } from './pop3.limits.js';
import { err, formatReply, type Pop3Reply } from './pop3-reply.js';

const TERMINATOR = Buffer.from('.\r\n');

export interface Pop3SessionDeps {
  dispatcher: Pop3Dispatcher;
  backend: Pop3Backend;
  config: MailhiveConfig;
  logger: Logger;
  secureContext: () => SecureContext;
}

/**
 * One POP3 connection: feeds framed lines to the dispatcher one at a time (pipelined commands queue up), writes
 * the replies with back-pressure, upgrades to TLS on STLS, keeps the maildrop lease alive, and on any ending
 * other than QUIT in TRANSACTION releases the maildrop without changing it (RFC 1939 §6).
 */
export class Pop3Session {
  readonly closed: Promise<void>;
  private socket: Socket;
  private readonly reader = new Pop3LineReader(POP3_LIMITS.maxLineOctets);
  private readonly queue: FramedLine[] = [];
  private readonly context: Pop3Context;
  private readonly log: Logger;
  private challenge: ((line: string) => Promise<Pop3Reply>) | null = null;
  private pumping = false;
  /** The run of the command queue in progress, awaited before the session's resources are released. */
  private pumpRun: Promise<void> = Promise.resolve();
  private ending = false;
  private errorsInARow = 0;
  private renewTimer: NodeJS.Timeout | null = null;
  /** The absolute deadline of the AUTHORIZATION state; traffic does not push it back. */
  private loginTimer: NodeJS.Timeout | null = null;
  private resolveClosed!: () => void;

  constructor(
    socket: Socket,
    secure: boolean,
    private readonly deps: Pop3SessionDeps,
  ) {
    this.socket = socket;
    const id = randomBytes(6).toString('hex');
    this.log = deps.logger.child({ session: id, protocol: 'pop3' });
    const session = new Pop3SessionState(id, socket.remoteAddress ?? '', secure);
    this.context = { session, backend: deps.backend, config: deps.config, log: this.log };
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  start(): void {
    connectionsTotal.inc({ protocol: 'pop3' });
    activeConnections.inc({ protocol: 'pop3' });
    this.log.debug({ remote: this.context.session.remoteAddress, secure: this.context.session.secure }, 'pop3 connection');
    this.attach(this.socket);
    this.socket.once('close', () => void this.finish());
    this.loginTimer = setTimeout(this.onLoginDeadline, this.deps.config.pop3LoginTimeoutSeconds * 1000);
    this.loginTimer.unref();
    void this.write(`+OK ${this.deps.config.hostname} Mailhive POP3 ready\r\n`);
  }

  /** Server shutdown: stop reading, end the connection; an unfinished session changes nothing. */
  shutdown(farewell = '-ERR [SYS/TEMP] server shutting down\r\n'): void {
    if (this.ending) return;
    this.ending = true;
    this.queue.length = 0;
    this.socket.end(farewell);
    setTimeout(() => this.socket.destroy(), POP3_LIMITS.shutdownGraceMs).unref();
  }

  /** Ends the session, changing nothing, when it logged in with the app password just revoked. */
  credentialRevoked(credentialId: number): void {
    if (this.context.session.credentialId !== credentialId) return;
    this.log.info({ user: this.context.session.address }, 'pop3 session ended: its app password was revoked');
    // RFC 3206 §4: [AUTH] says the credentials are the problem.
    this.shutdown('-ERR [AUTH] credentials revoked\r\n');
  }

  private attach(socket: Socket): void {
    socket.setTimeout(POP3_LIMITS.idleTimeoutMs);
    socket.on('data', this.onData);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onError);
  }

  private detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('timeout', this.onTimeout);
    socket.off('error', this.onError);
    socket.setTimeout(0);
  }

  private readonly onData = (chunk: Buffer) => {
    if (this.ending) return;
    this.queue.push(...this.reader.push(chunk));
    if (this.queue.length > POP3_LIMITS.maxQueuedLines) this.socket.pause();
    if (!this.pumping) this.pumpRun = this.pump();
  };

  private readonly onTimeout = () => {
    // RFC 1939 §3: autologout, without entering the UPDATE state.
    this.log.debug('pop3 idle timeout');
    this.end('-ERR autologout: idle for too long\r\n');
  };

  private readonly onLoginDeadline = () => {
    this.loginTimer = null;
    if (this.context.session.state !== 'AUTHORIZATION' || this.ending) return;
    // Without it, a client that keeps talking (CAPA, NOOP, wrong passwords below the error limit) would hold its
    // connection for as long as it likes without ever logging in.
    this.log.debug('pop3 login deadline passed');
    this.end('-ERR login took too long, closing connection\r\n');
  };

  private readonly onError = (error: Error) => {
    this.log.debug({ err: error }, 'pop3 socket error');
    this.socket.destroy();
  };

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.ending) {
        const item = this.queue.shift()!;
        await this.handle(item);
        if (this.queue.length <= POP3_LIMITS.maxQueuedLines / 2 && this.socket.isPaused()) this.socket.resume();
      }
    } catch (error) {
      this.log.error({ err: error }, 'pop3 session failed');
      this.socket.destroy();
    } finally {
      this.pumping = false;
    }
  }

  private async handle(item: FramedLine): Promise<void> {
    let reply: Pop3Reply;
    if (item.kind === 'overlong') {
      this.challenge = null;
      reply = err(`line too long (limit ${POP3_LIMITS.maxLineOctets} octets)`);
    } else if (this.challenge) {
      const next = this.challenge;
      this.challenge = null;
      reply = await this.deps.dispatcher.resume(this.context, next, item.text);
    } else {
      reply = await this.deps.dispatcher.dispatch(this.context, item.text);
    }
    await this.send(reply);
    if (this.context.session.state !== 'AUTHORIZATION') this.clearLoginTimer();
    if (this.context.session.state === 'TRANSACTION' && !this.renewTimer && !this.ending) this.startRenewing();
  }

  private async send(reply: Pop3Reply): Promise<void> {
    if (reply.kind === 'challenge') {
      this.challenge = reply.next;
      await this.write(formatReply(reply));
      return;
    }
    if (reply.kind === 'err') {
      this.errorsInARow++;
      if (reply.then === 'close' || this.errorsInARow >= POP3_LIMITS.maxErrorsInARow) {
        const suffix = reply.then === 'close' ? '' : '-ERR too many errors, closing connection\r\n';
        this.end(formatReply(reply) + suffix);
        return;
      }
      await this.write(formatReply(reply));
      return;
    }
    this.errorsInARow = 0;
    if (reply.then === 'close') {
      this.end(formatReply(reply));
      return;
    }
    if (reply.body) await this.sendBody(formatReply(reply), reply.body);
    else await this.write(formatReply(reply));
    if (reply.then === 'starttls') this.startTls();
  }

  private async sendBody(status: string, body: Buffer | AsyncIterable<Buffer>): Promise<void> {
    if (Buffer.isBuffer(body)) {
      // Status, message and terminator leave in one writev, without copying the message into a new buffer.
      this.socket.cork();
      this.socket.write(status, 'latin1');
      this.socket.write(body);
      const written = this.write(TERMINATOR);
      this.socket.uncork();
      await written;
      return;
    }
    await this.write(status);
    for await (const chunk of body) await this.write(chunk);
    await this.write(TERMINATOR);
  }

  /** Writes and waits for the socket to drain when its buffer is full (a pipelined run of RETRs). */
  private write(data: string | Buffer): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    if (this.socket.write(data)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private end(data: string): void {
    this.ending = true;
    this.queue.length = 0;
    if (this.socket.writableEnded) return;
    this.socket.end(data);
    // A client that never reads its goodbye nor closes would keep the descriptor.
    const socket = this.socket;
    setTimeout(() => socket.destroy(), POP3_LIMITS.closeGraceMs).unref();
  }

  private clearLoginTimer(): void {
    if (!this.loginTimer) return;
    clearTimeout(this.loginTimer);
    this.loginTimer = null;
  }

  /** RFC 2595 §4: the TLS handshake starts right after the +OK; nothing the client sent before it is kept. */
  private startTls(): void {
    const plain = this.socket;
    this.detach(plain);
    this.queue.length = 0;
    this.reader.reset();
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.deps.secureContext() });
    this.socket = secure;
    this.context.session.secure = true;
    this.attach(secure);
    secure.once('close', () => plain.destroy());
  }

  private startRenewing(): void {
    this.renewTimer = setInterval(() => {
      const maildrop = this.context.session.maildrop;
      if (!maildrop || this.context.session.state !== 'TRANSACTION') return;
      this.deps.backend.renewLock(maildrop).then(
        (held) => {
          if (held) return;
          // Another session may own the maildrop now: this one must not change it.
          this.log.warn('pop3 maildrop lease lost, closing the session');
          this.context.session.maildrop = null;
          this.end('-ERR [IN-USE] the maildrop lock was lost\r\n');
        },
        (error: unknown) => this.log.warn({ err: error }, 'renewing the pop3 maildrop lease failed'),
      );
    }, this.deps.backend.lockTtlMs() / 3);
    this.renewTimer.unref();
  }

  private async finish(): Promise<void> {
    this.ending = true;
    this.clearLoginTimer();
    if (this.renewTimer) clearInterval(this.renewTimer);
    activeConnections.dec({ protocol: 'pop3' });
    // Wait for a command still running (an UPDATE in progress finishes and releases the maildrop itself).
    await this.pumpRun;
    const maildrop = this.context.session.maildrop;
    this.context.session.maildrop = null;
    if (maildrop) {
      // Dropped connection: RFC 1939 §6, nothing is deleted; only the lock goes.
      await this.deps.backend.closeMaildrop(maildrop, null).catch((error: unknown) => {
        this.log.warn({ err: error }, 'releasing the pop3 maildrop failed');
      });
    }
    this.log.debug('pop3 connection closed');
    this.resolveClosed();
  }
}
