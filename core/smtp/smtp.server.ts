import { Inject, Injectable } from '@nestjs/common';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig, PortSetting } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { DnsResolver } from '../dns/dns-resolver.service.js';
import { activeConnections, connectionsTotal } from '../metrics/metrics-registry.js';
import { LOGGER } from '../logging/logger.js';
import { RecipientResolver } from '../mail/recipient-resolver.service.js';
import { DeliveryService } from '../mail/delivery.service.js';
import { SubmissionService } from '../mail/submission.service.js';
import { NO_ENVELOPE_DSN } from '../envelope/dsn-params.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import { TlsService } from '../tls/tls.service.js';
import type { BoundPorts, PortName } from '../transports/bound-ports.js';
import type { ConnectionGate, RefusalReason } from '../transports/connection-gate.js';
import { listen } from '../transports/listen.js';
import type { ProtocolServer } from '../transports/protocol-server.js';
import { applyAuthAdvertising } from './auth-advertising.patch.js';
import { applyEnhancedCodePatch } from './enhanced-codes.patch.js';
import { applyGreetingPause } from './greeting-pause.patch.js';
import { applyOverLongLinePatch } from './over-long-lines.patch.js';
import { applyReplyCoalescing } from './reply-coalescing.patch.js';
import { onAuth } from './handlers/auth.handler.js';
import { onConnect } from './handlers/connect.handler.js';
import { onData } from './handlers/data.handler.js';
import { onMailFrom } from './handlers/mail-from.handler.js';
import { onRcptTo } from './handlers/rcpt-to.handler.js';
import { InboundAuthService } from './inbound-auth.service.js';
import { reportRefusal } from './refusal-report.js';
import { DEFAULT_SMTP_BANNER, runtimeSettings } from '../config/runtime-settings.js';
import { smtpMessagesTotal, smtpRefusalsTotal } from './smtp.metrics.js';
import type { SmtpHandlerContext } from './smtp-handler-context.js';
import { reply, REPLIES, SmtpReplyError, type SmtpReply } from './smtp-reply.js';
import { type ListenerKind, type SmtpSessionState } from './smtp-session.js';

interface Listener {
  name: PortName;
  port: PortSetting;
  variable: string;
  kind: ListenerKind;
  implicitTls: boolean;
}

type Callback = (error?: Error | null) => void;

/** What the connection gate tells a refused client on a plaintext port (RFC 5321 §3.8: 421 and close). */
const REFUSALS: Record<RefusalReason, SmtpReply> = {
  address: REPLIES.tooManyConnections,
  ceiling: reply(421, '4.3.2', 'Too many connections, try again later'),
};

function replyLine(refusal: SmtpReply): string {
  return `${refusal.code} ${refusal.enhanced} ${refusal.text}\r\n`;
}

/** How long stop() lets a session finish its current transaction before it is told 421 and closed. */
const CLOSE_GRACE_MS = 3000;

/**
 * SMTP on three ports with smtp-server for the wire (framing, parsing, pipelining, STARTTLS): MX on 25,
 * submission on 587 (STARTTLS) and 465 (implicit TLS). Each smtp-server callback is one handler in handlers/;
 * this class only keeps per-connection state, limits and the mapping of replies.
 */
@Injectable()
export class SmtpServer implements ProtocolServer {
  readonly name = 'smtp';
  private readonly servers: SMTPServer[] = [];
  private readonly states = new Map<string, SmtpSessionState>();
  private readonly context: SmtpHandlerContext;

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tls: TlsService,
    private readonly dns: DnsResolver,
    recipients: RecipientResolver,
    auth: AuthService,
    plugins: PluginHost,
    delivery: DeliveryService,
    inboundAuth: InboundAuthService,
    submission: SubmissionService,
  ) {
    this.context = {
      config,
      recipients,
      auth,
      plugins,
      delivery,
      inboundAuth,
      submission,
      spoolDir: join(config.dataDir, 'spool'),
    };
  }

  async start(gate: ConnectionGate): Promise<BoundPorts> {
    applyEnhancedCodePatch();
    applyGreetingPause(this.config.smtpGreetingPauseMs);
    applyReplyCoalescing();
    applyOverLongLinePatch();
    applyAuthAdvertising();
    await this.cleanSpool();
    const material = await this.tls.load();
    const listeners: Listener[] = [
      { name: 'smtp', port: this.config.smtpPort, variable: 'MAILHIVE_SMTP_PORT', kind: 'mx', implicitTls: false },
      {
        name: 'submission',
        port: this.config.submissionPort,
        variable: 'MAILHIVE_SUBMISSION_PORT',
        kind: 'submission',
        implicitTls: false,
      },
      { name: 'smtps', port: this.config.smtpsPort, variable: 'MAILHIVE_SMTPS_PORT', kind: 'submission', implicitTls: true },
    ];
    const bound: BoundPorts = {};
    for (const listener of listeners) {
      if (listener.port === 'off') continue;
      const server = new SMTPServer(this.options(listener, material));
      server.on('error', (error) => this.logger.warn({ err: error }, 'smtp connection error'));
      // Counted from the TCP accept, before the TLS handshake of port 465 and before the greeting pause.
      gate.guard(server.server, {
        protocol: 'smtp',
        refusal: listener.implicitTls ? null : (reason) => replyLine(REFUSALS[reason]),
      });
      const port = await listen(server.server, listener.port, this.config.bind, listener.variable);
      bound[listener.name] = port;
      this.servers.push(server);
      this.logger.info({ port, kind: listener.kind, tls: listener.implicitTls }, 'smtp listening');
    }
    return bound;
  }

  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private options(listener: Listener, material: { key: Buffer; cert: Buffer }): SMTPServerOptions {
    const { config } = this;
    return {
      name: config.hostname,
      // A getter: smtp-server reads the banner at each greeting, so a run-time change applies to the next connection.
      get banner() {
        return runtimeSettings.value('smtpBanner', DEFAULT_SMTP_BANNER);
      },
      key: material.key,
      cert: material.cert,
      secure: listener.implicitTls,
      size: config.maxMessageSize,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: listener.kind === 'mx',
      // Port 25 takes no logins at all; on 587 AUTH is neither offered (auth-advertising.patch.ts) nor taken
      // (smtp-server answers 538) until STARTTLS, loopback clients included.
      disabledCommands: listener.kind === 'mx' ? ['AUTH'] : [],
      allowInsecureAuth: false,
      // smtp-server leaves both off unless asked (RFC 2034 enhanced codes, RFC 3461 DSN parameters).
      hideENHANCEDSTATUSCODES: false,
      hideDSN: false,
      hideREQUIRETLS: true,
      maxRecipients: config.smtpMaxRecipients,
      maxCommandLength: config.smtpMaxLineLength,
      socketTimeout: config.smtpIdleTimeoutSeconds * 1000,
      closeTimeout: CLOSE_GRACE_MS,
      logger: false,
      resolver: {
        reverse: (ip, callback) => {
          this.dns.reverse(ip).then(
            (names) => callback(null, names),
            (error: Error) => callback(error),
          );
        },
      },
      onConnect: (session, callback) =>
        this.run(callback, async () => {
          connectionsTotal.inc({ protocol: 'smtp' });
          // smtp-server's session id: 80 random bits, unique enough for logs, spool files and the Received id.
          const id = session.id;
          activeConnections.inc({ protocol: 'smtp' });
          const state: SmtpSessionState = {
            id,
            kind: listener.kind,
            remoteAddress: session.remoteAddress,
            log: this.logger.child({ session: id, protocol: 'smtp' }),
            account: null,
            badCommands: 0,
            heloChecked: null,
            sender: '',
            local: new Map(),
            remote: new Set(),
            declaredSize: 0,
            dsn: NO_ENVELOPE_DSN,
            recipientDsn: new Map(),
          };
          this.states.set(session.id, state);
          state.log.debug({ remote: session.remoteAddress, port: session.localPort }, 'connection');
          return onConnect(this.context, state);
        }),
      onClose: (session) => {
        const state = this.states.get(session.id);
        if (!state) return;
        this.states.delete(session.id);
        activeConnections.dec({ protocol: 'smtp' });
      },
      onAuth: (auth, session, callback) => {
        const state = this.state(session);
        onAuth(this.context, state, auth.method, auth.username ?? '', auth.password ?? '').then(
          (outcome) => {
            if (outcome.ok) {
              state.account = outcome.account;
              state.log.info({ user: outcome.account.address }, 'authenticated');
              callback(null, { user: outcome.account.address });
            } else {
              callback(this.counted(state, outcome.reply));
            }
          },
          (error: unknown) => {
            state.log.error({ err: error }, 'AUTH failed with an error');
            callback(new SmtpReplyError(REPLIES.localError));
          },
        );
      },
      onMailFrom: (address, session, callback) =>
        this.run(
          callback,
          async () => {
            const state = this.state(session);
            return onMailFrom(this.context, state, address, session.hostNameAppearsAs);
          },
          session,
        ),
      onRcptTo: (address, session, callback) =>
        this.run(
          callback,
          async () => {
            const state = this.state(session);
            const reply = await onRcptTo(this.context, state, address);
            if (reply) reportRefusal(state, [address.address], reply);
            return reply;
          },
          session,
        ),
      onData: (stream, session, callback) => {
        const state = this.state(session);
        onData(this.context, state, stream, session).then(
          (outcome) => {
            smtpMessagesTotal.inc({ listener: state.kind, outcome: outcome.kind === 'accepted' ? 'accepted' : String(outcome.reply.code) });
            if (outcome.kind === 'accepted') callback(null, outcome.text);
            else callback(new SmtpReplyError(outcome.reply));
          },
          (error: unknown) => {
            // The client going away mid-message is not a bug; anything else is.
            if ((error as { code?: string }).code === 'ECONNECTION') state.log.info('connection closed during DATA');
            else state.log.error({ err: error }, 'DATA failed with an error');
            stream.resume();
            callback(new SmtpReplyError(REPLIES.localError));
          },
        );
      },
    };
  }

  private state(session: SMTPServerSession): SmtpSessionState {
    const state = this.states.get(session.id);
    if (!state) throw new Error(`no state for SMTP session ${session.id}`);
    return state;
  }

  /** Runs a handler: null → OK, a reply → that refusal; a throw is a bug, answered 451 and logged. */
  private run(callback: Callback, work: () => Promise<SmtpReply | null>, session?: SMTPServerSession): void {
    work().then(
      (reply) => {
        if (!reply) return callback();
        const state = session ? this.states.get(session.id) : undefined;
        callback(state ? this.counted(state, reply) : new SmtpReplyError(reply));
      },
      (error: unknown) => {
        const state = session ? this.states.get(session.id) : undefined;
        (state?.log ?? this.logger).error({ err: error }, 'SMTP handler failed');
        callback(new SmtpReplyError(REPLIES.localError));
      },
    );
  }

  /** Counts a permanent refusal; past the limit the reply becomes 421 and the connection closes. */
  private counted(state: SmtpSessionState, reply: SmtpReply): SmtpReplyError {
    smtpRefusalsTotal.inc({ listener: state.kind, code: String(reply.code) });
    if (reply.code >= 500) state.badCommands++;
    if (state.badCommands >= this.config.smtpMaxBadCommands) {
      state.log.warn({ badCommands: state.badCommands }, 'too many refused commands; closing');
      return new SmtpReplyError(REPLIES.tooManyBadCommands);
    }
    return new SmtpReplyError(reply);
  }

  private async cleanSpool(): Promise<void> {
    await mkdir(this.context.spoolDir, { recursive: true, mode: 0o700 });
    // Spool files of a previous run were never acknowledged with 250: the clients will send them again.
    for (const name of await readdir(this.context.spoolDir)) await rm(join(this.context.spoolDir, name), { force: true });
  }
}
