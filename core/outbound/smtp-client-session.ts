import { isIP } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { isLoopback } from '../util/loopback.js';
import type { RecipientResult } from './delivery-result.js';
import type { RelayHost } from './relay-host.js';

/** One address to try: an MX host's address, or the relay host. */
export interface Target {
  /** Name for TLS SNI and the DSN's Remote-MTA. */
  host: string;
  address: string;
  port: number;
  secure: boolean;
  auth: RelayHost['auth'];
}

export type SmtpFailure = Error & {
  code?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: (Error & { recipient?: string; responseCode?: number; response?: string })[];
  /** The connection failed during the TLS handshake after STARTTLS. */
  tlsHandshake?: boolean;
};

/** What one message's transaction on an open session came to. */
export type SendOutcome =
  | { kind: 'done'; results: RecipientResult[] }
  /** The server refused the whole transaction (MAIL FROM or after DATA) but the session can go on after RSET. */
  | { kind: 'refused'; results: RecipientResult[] }
  /** The session broke (connection lost, 421): whether the message got through is unknown. */
  | { kind: 'broken'; error: SmtpFailure };

/**
 * A promise-shaped SMTP client session over nodemailer's SMTPConnection: connect (STARTTLS when offered, no
 * certificate check — opportunistic TLS as between MX hosts — and plaintext again when the TLS handshake fails),
 * optional login, then several transactions.
 */
export class SmtpClientSession {
  private error: SmtpFailure | null = null;
  /** The server's EHLO reply lists DSN (RFC 3461), so NOTIFY, ORCPT, RET and ENVID are passed on. */
  supportsDsn = false;

  private constructor(
    private readonly connection: SMTPConnection,
    readonly target: Target,
  ) {
    // Kept for the whole session (`on`, not `once`): a late error such as a reset during QUIT must not become
    // an unhandled 'error' event.
    connection.on('error', (error: SmtpFailure) => {
      this.error ??= error;
    });
  }

  static async open(target: Target, clientName: string): Promise<SmtpClientSession> {
    try {
      return await SmtpClientSession.connect(target, clientName, false);
    } catch (error) {
      // Opportunistic TLS guards against eavesdropping only; a server whose handshake cannot complete at all (an
      // old protocol version, no shared cipher) would otherwise never get its mail. Never with credentials to send.
      if (!(error as SmtpFailure).tlsHandshake || target.secure || target.auth) throw error;
      return SmtpClientSession.connect(target, clientName, true);
    }
  }

  private static async connect(target: Target, clientName: string, plaintext: boolean): Promise<SmtpClientSession> {
    const connection = new SMTPConnection({
      host: target.address,
      port: target.port,
      secure: target.secure,
      name: clientName,
      ignoreTLS: plaintext,
      // Credentials never cross the network in the clear: a relay that does not offer STARTTLS is not logged in to.
      requireTLS: !!target.auth && !isLoopback(target.address),
      opportunisticTLS: true,
      tls: { rejectUnauthorized: false, servername: isIP(target.host) ? undefined : target.host },
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
    });
    const session = new SmtpClientSession(connection, target);
    await new Promise<void>((resolve, reject) => {
      const fail = (error: SmtpFailure) => {
        error.tlsHandshake = (connection as { upgrading?: boolean }).upgrading === true;
        reject(error);
      };
      connection.once('error', fail);
      connection.connect(() => {
        connection.off('error', fail);
        // On 'connect' the last reply is the (post-STARTTLS) EHLO reply; nodemailer keeps its extension list private.
        session.supportsDsn = typeof connection.lastServerResponse === 'string' && /^250[ -]DSN\b/im.test(connection.lastServerResponse);
        resolve();
      });
    });
    if (target.auth) {
      const auth = target.auth;
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: auth.user, pass: auth.pass }, (error) => (error ? reject(error) : resolve())),
      );
    }
    return session;
  }

  /** One transaction; `dsn` (the same for every recipient) is sent only when the server supports DSN. */
  send(sender: string, recipients: readonly string[], message: Buffer, dsn?: SMTPConnection.DSNOptions): Promise<SendOutcome> {
    const { host } = this.target;
    const all = (status: RecipientResult['status'], response: string) =>
      recipients.map((recipient) => ({ recipient, status, response, remoteMta: host }));
    const dsnPassedOn = !!dsn && this.supportsDsn;
    return new Promise((resolve) => {
      if (this.error) return resolve({ kind: 'broken', error: this.error });
      this.connection.send({ from: sender, to: [...recipients], ...(dsnPassedOn ? { dsn } : {}) }, message, (error, info) => {
        if (!error) {
          const results = perRecipient(host, recipients, (info.rejectedErrors ?? []) as SmtpFailure[]);
          return resolve({
            kind: 'done',
            results: results.map((result) => (dsnPassedOn && result.status === 'delivered' ? { ...result, dsnPassedOn } : result)),
          });
        }
        const failure = error as SmtpFailure;
        if (failure.code === 'EENVELOPE' && failure.rejectedErrors?.length) {
          return resolve({ kind: 'refused', results: perRecipient(host, recipients, failure.rejectedErrors) });
        }
        if (failure.responseCode && failure.responseCode !== 421 && (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE')) {
          const status = failure.responseCode >= 500 ? 'failed' : 'deferred';
          return resolve({ kind: 'refused', results: all(status, failure.response ?? `${failure.responseCode} ${failure.message}`) });
        }
        resolve({ kind: 'broken', error: failure });
      });
    });
  }

  /** RSET after a refused transaction; false when the session is no longer usable. */
  reset(): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.error) return resolve(false);
      this.connection.reset((error) => resolve(!error));
    });
  }

  quit(): void {
    this.connection.quit();
  }

  close(): void {
    this.connection.close();
  }
}

function perRecipient(host: string, recipients: readonly string[], rejected: SmtpFailure[]): RecipientResult[] {
  return recipients.map((recipient) => {
    const refusal = rejected.find((error) => (error as { recipient?: string }).recipient === recipient);
    if (!refusal) return { recipient, status: 'delivered', response: '250 accepted', remoteMta: host };
    return {
      recipient,
      status: (refusal.responseCode ?? 450) >= 500 ? 'failed' : 'deferred',
      response: refusal.response ?? refusal.message,
      remoteMta: host,
    };
  });
}
