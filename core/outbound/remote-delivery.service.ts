import { Inject, Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { DnsResolver } from '../dns/dns-resolver.service.js';
import { LOGGER } from '../logging/logger.js';
import type { RecipientResult } from './delivery-result.js';
import { parseRelayHost, type RelayHost } from './relay-host.js';

interface Target {
  /** Name for TLS SNI and the DSN's Remote-MTA. */
  host: string;
  address: string;
  port: number;
  secure: boolean;
  auth: RelayHost['auth'];
}

type SmtpFailure = Error & { code?: string; responseCode?: number; response?: string; rejectedErrors?: (Error & { recipient?: string; responseCode?: number; response?: string })[] };

/**
 * Hands one message to the remote MX of a domain (or to the relay host): MX by preference, then the domain's
 * own address when it has no MX (RFC 5321 §5.1), STARTTLS whenever offered (opportunistic: no certificate check,
 * as MX certificates are not verifiable without DANE or MTA-STS).
 */
@Injectable()
export class RemoteDeliveryService {
  private readonly relay: RelayHost | null;
  private readonly open = new Set<SMTPConnection>();

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly dns: DnsResolver,
  ) {
    this.relay = config.relayHost ? parseRelayHost(config.relayHost) : null;
  }

  async deliver(domain: string, sender: string, recipients: readonly string[], message: Buffer): Promise<RecipientResult[]> {
    const all = (status: RecipientResult['status'], response: string, remoteMta: string | null = null) =>
      recipients.map((recipient) => ({ recipient, status, response, remoteMta }));
    let targets: Target[] | 'null-mx';
    try {
      targets = await this.targets(domain);
    } catch (error) {
      return all('deferred', `DNS lookup failed: ${(error as Error).message}`);
    }
    if (targets === 'null-mx') return all('failed', `556 5.1.10 ${domain} accepts no mail (null MX, RFC 7505)`);
    if (targets.length === 0) return all('failed', `550 5.1.2 ${domain} has no mail server (no MX, A or AAAA record)`);
    let lastError = 'no mail server reachable';
    for (const target of targets) {
      try {
        return await this.send(target, sender, recipients, message);
      } catch (error) {
        const failure = error as SmtpFailure;
        if (failure.responseCode) {
          // The server answered: its verdict stands, another MX would say the same.
          const status = failure.responseCode >= 500 ? 'failed' : 'deferred';
          return all(status, failure.response ?? `${failure.responseCode} ${failure.message}`, target.host);
        }
        lastError = `${target.host} [${target.address}]: ${failure.message}`;
        this.logger.info({ domain, host: target.host, error: failure.message }, 'outbound connection failed');
      }
    }
    return all('deferred', lastError);
  }

  /** Closes connections in flight (shutdown); their rows are retried. */
  closeAll(): void {
    for (const connection of this.open) connection.close();
  }

  private async targets(domain: string): Promise<Target[] | 'null-mx'> {
    if (this.relay) {
      const { host, port, secure, auth } = this.relay;
      const addresses = isIP(host) ? [host] : await this.dns.addresses(host);
      return addresses.map((address) => ({ host, address, port, secure, auth }));
    }
    const mx = await this.dns.mx(domain);
    // RFC 7505: a single "." MX means the domain accepts no mail.
    if (mx && mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) return 'null-mx';
    const hosts = mx ? mx.map((record) => record.exchange) : [domain];
    const result: Target[] = [];
    for (const host of hosts) {
      const addresses = isIP(host) ? [host] : await this.dns.addresses(host);
      for (const address of addresses) result.push({ host, address, port: this.config.outboundPort, secure: false, auth: null });
    }
    return result;
  }

  private send(target: Target, sender: string, recipients: readonly string[], message: Buffer): Promise<RecipientResult[]> {
    const connection = new SMTPConnection({
      host: target.address, port: target.port, secure: target.secure, name: this.config.hostname,
      opportunisticTLS: true, tls: { rejectUnauthorized: false, servername: isIP(target.host) ? undefined : target.host },
      connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000,
    });
    this.open.add(connection);
    const finish = () => {
      this.open.delete(connection);
      connection.quit();
    };
    return new Promise<RecipientResult[]>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        this.open.delete(connection);
        connection.close();
        reject(error);
      };
      // `on`, not `once`: a second error (say, a reset during QUIT) must not become an unhandled 'error' event.
      connection.on('error', fail);
      connection.connect(() => {
        const transmit = () => connection.send({ from: sender, to: [...recipients] }, message, (error, info) => {
          if (error) {
            const failure = error as SmtpFailure;
            if (failure.rejectedErrors?.length && failure.code === 'EENVELOPE') {
              settled = true;
              finish();
              resolve(this.perRecipient(target, recipients, failure.rejectedErrors));
              return;
            }
            fail(error);
            return;
          }
          settled = true;
          finish();
          resolve(this.perRecipient(target, recipients, (info.rejectedErrors ?? []) as SmtpFailure[]));
        });
        if (!target.auth) return transmit();
        connection.login({ user: target.auth.user, pass: target.auth.pass }, (error) => (error ? fail(error) : transmit()));
      });
    });
  }

  private perRecipient(target: Target, recipients: readonly string[], rejected: SmtpFailure[]): RecipientResult[] {
    return recipients.map((recipient) => {
      const refusal = rejected.find((error) => (error as { recipient?: string }).recipient === recipient);
      if (!refusal) return { recipient, status: 'delivered', response: '250 accepted', remoteMta: target.host };
      return {
        recipient, status: (refusal.responseCode ?? 450) >= 500 ? 'failed' : 'deferred',
        response: refusal.response ?? refusal.message, remoteMta: target.host,
      };
    });
  }
}
