import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw, DeflateRaw } from 'node:zlib';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { capabilities } from './imap-capabilities.js';
import type { CommandContext } from './imap-command.js';
import type { ImapBackend } from './imap-backend.js';
import { ImapDispatcher, type DispatchTarget } from './imap-dispatcher.js';
import { decodeMailboxName, encodeMailboxName } from './mailbox-names.js';
import { IMAP_LIMITS } from './protocol/imap-limits.js';
import { ImapStream, type LiteralDecision, type LiteralRequest } from './protocol/imap-stream.js';
import { framingLimits, literalVerdict } from './protocol/literal-policy.js';
import type { ImapCommand } from './protocol/imap-values.js';
import { encodeLine, type OutValue } from './protocol/imap-writer.js';
import { ImapSession } from './session/imap-session.js';
import type { AnyCommandModule } from './imap-command.js';
import { isLoopback } from '../util/loopback.js';

export interface ConnectionOptions {
  backend: ImapBackend;
  logger: Logger;
  registry: ReadonlyMap<string, AnyCommandModule>;
  secureContext: () => SecureContext;
  /** Whether LOGIN/AUTHENTICATE may run without TLS (MAILHIVE_IMAP_PLAINTEXT_AUTH). */
  plaintextAuth: 'never' | 'loopback' | 'always';
  hostname: string;
  /** Absolute deadline for logging in, from the connection's start (MAILHIVE_IMAP_LOGIN_TIMEOUT_SECONDS). */
  loginTimeoutMs: number;
}

/** One client connection: reads frames, hands them to the dispatcher, writes responses. */
export class ImapConnection implements DispatchTarget {
  readonly session: ImapSession;
  readonly log: Logger;
  private socket: Socket;
  private readonly stream: ImapStream;
  private readonly dispatcher: ImapDispatcher;
  private closed = false;
  private corked = false;
  /** Where responses go: the socket, or a deflate stream in front of it after COMPRESS (RFC 4978). */
  private output: Writable;
  private compressed = false;
  /** Ends the session if it is still not authenticated; unlike the idle timer, input does not put it off. */
  private readonly loginDeadline: NodeJS.Timeout;

  constructor(
    socket: Socket,
    private readonly options: ConnectionOptions,
    implicitTls: boolean,
  ) {
    this.socket = socket;
    this.output = socket;
    const id = randomBytes(6).toString('hex');
    this.session = new ImapSession(id, socket.remoteAddress ?? 'unknown', implicitTls, implicitTls);
    this.log = options.logger.child({ session: id, protocol: 'imap' });
    this.dispatcher = new ImapDispatcher(options.registry);
    this.stream = new ImapStream(
      socket,
      (request) => this.gateLiteral(request),
      (text) => this.writeLine(text),
      () => framingLimits(this.session.state !== 'not-authenticated'),
    );
    this.watch(socket);
    this.loginDeadline = setTimeout(() => {
      if (this.session.state !== 'not-authenticated') return;
      this.log.info('closing IMAP session not logged in before the deadline');
      this.writeLine('* BYE Autologout; not logged in in time');
      void this.close();
    }, options.loginTimeoutMs);
    this.loginDeadline.unref();
  }

  private watch(socket: Socket): void {
    socket.on('error', (error) => this.log.debug({ err: error }, 'IMAP socket error'));
    socket.setTimeout(IMAP_LIMITS.preAuthTimeoutMs);
    socket.on('timeout', () => {
      this.writeLine('* BYE Autologout; idle for too long');
      void this.close();
    });
  }

  async run(): Promise<void> {
    this.writeLine(`* OK [CAPABILITY ${this.capabilities().join(' ')}] ${this.options.hostname} Mailhive IMAP ready`);
    try {
      while (!this.closed) {
        const frame = await this.stream.next();
        if (frame.kind === 'end') break;
        if (frame.kind === 'error') {
          const keep = this.dispatcher.framingError(this, frame.response);
          if (frame.fatal || !keep) {
            if (frame.fatal) this.writeLine('* BYE Cannot continue after a refused literal');
            break;
          }
          continue;
        }
        if (!(await this.dispatcher.dispatch(frame.bytes, this))) break;
      }
    } catch (error) {
      this.log.error({ err: error }, 'IMAP session failed');
    } finally {
      await this.close();
    }
  }

  /** Ends the session from outside (server shutdown). */
  shutdown(): void {
    if (this.closed) return;
    this.writeLine('* BYE Server shutting down');
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.loginDeadline);
    this.session.unsubscribe?.();
    this.session.unsubscribe = null;
    this.session.state = 'logout';
    const socket = this.socket;
    this.output.end();
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  writeLine(text: string): void {
    if (!this.output.writable) return;
    this.cork();
    this.output.write(text + '\r\n');
  }

  private writeBlock(text: string): void {
    if (!this.output.writable || text === '') return;
    this.cork();
    this.output.write(text);
  }

  /** Many untagged lines as one buffer: one write instead of three or four per line (prefix, literals, CRLF). */
  private writeBatch(lines: readonly OutValue[][]): void {
    if (!this.output.writable || lines.length === 0) return;
    this.cork();
    const options = { utf8: this.session.utf8 };
    const parts: Buffer[] = [];
    let text = '';
    for (const line of lines) {
      const encoded = encodeLine(line, options);
      if (typeof encoded === 'string') {
        text += `* ${encoded}\r\n`;
        continue;
      }
      parts.push(Buffer.from(`${text}* `, 'utf8'), ...encoded);
      text = '\r\n';
    }
    if (text !== '') parts.push(Buffer.from(text, 'utf8'));
    this.output.write(Buffer.concat(parts));
  }

  private writeValues(prefix: string, values: OutValue[]): void {
    if (!this.output.writable) return;
    this.cork();
    const chunks = encodeLine(values, { utf8: this.session.utf8 });
    if (typeof chunks === 'string') {
      this.output.write(prefix + chunks + '\r\n');
      return;
    }
    this.output.write(prefix);
    for (const chunk of chunks) this.output.write(chunk);
    this.output.write('\r\n');
  }

  /** Gathers the writes of one turn of the event loop into as few TCP segments as possible. */
  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    const output = this.output;
    output.cork();
    process.nextTick(() => {
      this.corked = false;
      output.uncork();
      // A compressed stream must be flushed for the client to see the responses now.
      if (output instanceof DeflateRaw) output.flush(zlibConstants.Z_SYNC_FLUSH);
    });
  }

  /** RFC 4978: from the next byte on, both directions are raw DEFLATE. */
  private startCompression(): boolean {
    if (this.compressed) return false;
    this.compressed = true;
    const socket = this.socket;
    const deflate = createDeflateRaw({ level: 6 });
    const inflate = createInflateRaw();
    deflate.pipe(socket);
    this.stream.detach();
    socket.pipe(inflate);
    inflate.on('error', (error) => {
      this.log.info({ err: error }, 'invalid compressed input');
      socket.destroy();
    });
    this.output = deflate;
    this.stream.attach(inflate);
    return true;
  }

  async reportChanges(allowExpunge: boolean, stillWanted: () => boolean = () => true): Promise<void> {
    const selected = this.session.selected;
    if (!selected) return;
    try {
      await selected.sync();
    } catch (error) {
      // Reported with the next change or command; the client still gets what is known.
      this.log.error({ err: error }, 'IMAP mailbox sync failed');
    }
    // The session may have selected another mailbox, or the command ended, meanwhile.
    if (selected !== this.session.selected || !selected.hasPending || !stillWanted()) return;
    const lines = selected.report({ expunge: allowExpunge, vanished: this.session.qresync, modseq: this.session.condstore });
    for (const line of lines) this.writeValues('* ', line);
  }

  capabilities(): string[] {
    return capabilities(this.session, {
      appendLimit: this.options.backend.appendLimit,
      tlsAvailable: true,
      loginRequiresTls: this.loginRequiresTls(),
    });
  }

  context(command: ImapCommand): CommandContext {
    return {
      tag: command.tag,
      verb: command.verb,
      session: this.session,
      backend: this.options.backend,
      log: this.log,
      untagged: (values) => this.writeValues('* ', values),
      untaggedText: (text) => this.writeLine(`* ${text}`),
      untaggedBlock: (text) => this.writeBlock(text),
      untaggedBatch: (lines) => this.writeBatch(lines),
      continuation: (text) => this.writeLine(`+ ${text}`),
      drain: () => this.drain(),
      readFrame: () => this.stream.next(),
      reportChanges: (stillWanted) => this.reportChanges(true, stillWanted),
      announceKeywords: (flags) => this.writeBatch(this.session.selected?.announceKeywords(flags) ?? []),
      decodeMailbox: (raw) => decodeMailboxName(raw, this.session.utf8),
      encodeMailbox: (path) => encodeMailboxName(path, this.session.utf8),
      capabilities: () => this.capabilities(),
      startTls: () => this.startTls(),
      loggedIn: () => this.authenticated(),
      compress: () => this.startCompression(),
      close: () => this.close(),
    };
  }

  private loginRequiresTls(): boolean {
    const policy = this.options.plaintextAuth;
    if (policy === 'always') return false;
    if (policy === 'never') return true;
    return !isLoopback(this.session.remoteAddress);
  }

  /** Called after login: authenticated sessions may stay idle for the RFC's 30 minutes. */
  authenticated(): void {
    clearTimeout(this.loginDeadline);
    this.socket.setTimeout(IMAP_LIMITS.idleTimeoutMs);
  }

  private drain(): Promise<void> {
    const output = this.output;
    if (!output.writableNeedDrain || !output.writable) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        output.off('drain', done);
        output.off('close', done);
        resolve();
      };
      output.once('drain', done);
      output.once('close', done);
    });
  }

  private async startTls(): Promise<void> {
    this.stream.detach();
    const plain = this.socket;
    plain.setTimeout(0);
    plain.removeAllListeners('timeout');
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.options.secureContext() });
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
    }).catch((error: unknown) => {
      this.log.info({ err: error }, 'STARTTLS handshake failed');
      throw error;
    });
    this.socket = secure as unknown as Socket;
    this.output = this.socket;
    this.session.secure = true;
    this.watch(this.socket);
    this.stream.attach(secure);
  }

  private async gateLiteral(request: LiteralRequest): Promise<LiteralDecision> {
    const account = this.session.state === 'not-authenticated' ? null : this.session.account;
    const verdict = literalVerdict(request, account !== null, this.options.backend.appendLimit);
    if (verdict.kind === 'refuse') return { accept: false, response: verdict.response };
    if (verdict.kind === 'argument' || !account) return { accept: true };
    const refusal = await this.options.backend.checkAppend(account, request.size);
    if (refusal) return { accept: false, response: `${request.tag} NO [${refusal.code}] ${refusal.text}` };
    return { accept: true, message: true };
  }
}
