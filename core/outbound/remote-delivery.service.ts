import { Inject, Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { DnsResolver } from '../dns/dns-resolver.service.js';
import { LOGGER } from '../logging/logger.js';
import type { RecipientResult } from './delivery-result.js';
import { dsnTransactions } from './dsn-relay.js';
import type { MessageDsn } from '../envelope/dsn-params.js';
import { isPublicAddress } from './private-address.js';
import { parseRelayHost, type RelayHost } from './relay-host.js';
import { SmtpClientSession, type SmtpFailure, type Target } from './smtp-client-session.js';

/** One message for the domain: its envelope and its bytes (already DKIM-signed). */
export interface OutboundItem {
  sender: string;
  recipients: readonly string[];
  message: Buffer;
  /** RFC 3461 parameters to pass on when the remote server supports DSN. */
  dsn?: MessageDsn | null;
}

/**
 * Hands messages to the remote MX of a domain (or to the relay host): MX by preference, then the domain's own
 * address when it has no MX (RFC 5321 §5.1). The messages of one domain go over one connection, one transaction
 * each with all of its recipients; an MX that cannot be reached passes the rest on to the next one.
 */
@Injectable()
export class RemoteDeliveryService {
  private readonly relay: RelayHost | null;
  private readonly sessions = new Set<SmtpClientSession>();

  constructor(
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly dns: DnsResolver,
  ) {
    this.relay = config.relayHost ? parseRelayHost(config.relayHost) : null;
  }

  /**
   * Per item, per recipient: delivered, deferred or failed. `onItem` is called (and awaited) as soon as an item's
   * transaction is over, before the next one starts, so the caller can record it at once: a node that dies then has
   * at most the one item in flight whose delivery it did not record.
   */
  async deliver(
    domain: string,
    items: readonly OutboundItem[],
    onItem?: (index: number, result: RecipientResult[]) => Promise<void>,
  ): Promise<RecipientResult[][]> {
    const every = (status: RecipientResult['status'], response: string, remoteMta: string | null = null) =>
      items.map((item) => item.recipients.map((recipient) => ({ recipient, status, response, remoteMta })));
    let found: Target[] | 'null-mx';
    try {
      found = await this.targets(domain);
    } catch (error) {
      return every('deferred', `451 4.4.3 DNS lookup for ${domain} failed: ${(error as Error).message}`);
    }
    if (found === 'null-mx') return every('failed', `556 5.1.10 ${domain} accepts no mail (null MX, RFC 7505)`);
    if (found.length === 0) return every('failed', `550 5.1.2 ${domain} has no mail server (no MX, A or AAAA record)`);
    const targets = this.relay || this.config.outboundAllowPrivateMx ? found : found.filter((target) => isPublicAddress(target.address));
    if (targets.length === 0) {
      // Each refused address is a permanent failure of its host; with none left the message bounces.
      const named = found.map((target) => `${target.host} [${target.address}]`).join(', ');
      this.logger.warn({ domain, targets: named }, 'outbound: every mail server of the domain has a non-public address');
      return every(
        'failed',
        `550 5.4.4 ${domain} has no mail server at a public address (${named} not used: loopback, private or reserved)`,
      );
    }
    if (targets.length < found.length) {
      this.logger.info({ domain, skipped: found.length - targets.length }, 'outbound: mail servers with non-public addresses skipped');
    }

    const results: (RecipientResult[] | null)[] = items.map(() => null);
    let lastError = 'no mail server reachable';
    for (const target of targets) {
      const pending = results.flatMap((result, index) => (result ? [] : [index]));
      if (pending.length === 0) break;
      let session: SmtpClientSession;
      try {
        session = await SmtpClientSession.open(target, this.config.hostname);
      } catch (error) {
        const failure = error as SmtpFailure;
        if (failure.responseCode && failure.responseCode >= 500 && failure.responseCode !== 421) {
          // The server refused us outright (5xx greeting or login): its verdict stands for every message.
          for (const index of pending) results[index] = every('failed', failure.response ?? failure.message, target.host)[index]!;
          break;
        }
        lastError = `${target.host} [${target.address}]: ${failure.response ?? failure.message}`;
        this.logger.info({ domain, host: target.host, error: lastError }, 'outbound connection failed');
        continue;
      }
      this.sessions.add(session);
      try {
        items: for (const index of pending) {
          const item = items[index]!;
          const done: RecipientResult[] = [];
          // nodemailer sends one NOTIFY/ORCPT for all recipients of a transaction: recipients that differ in them
          // go in transactions of their own, but only to a server that takes them.
          const transactions = dsnTransactions(item.recipients, session.supportsDsn ? item.dsn : null);
          for (const [position, transaction] of transactions.entries()) {
            const outcome = await session.send(item.sender, transaction.recipients, item.message, transaction.dsn);
            if (outcome.kind === 'broken') {
              // Unknown whether it got through: deferring risks a duplicate, which is better than a loss.
              lastError = `${target.host} [${target.address}]: ${outcome.error.response ?? outcome.error.message}`;
              const rest = transactions.slice(position).flatMap((later) => later.recipients);
              results[index] = [
                ...done,
                ...rest.map((recipient) => ({ recipient, status: 'deferred' as const, response: lastError, remoteMta: target.host })),
              ];
              break items;
            }
            done.push(...outcome.results);
            if (outcome.kind === 'refused' && !(await session.reset())) {
              const rest = transactions.slice(position + 1).flatMap((later) => later.recipients);
              results[index] = [
                ...done,
                ...rest.map((recipient) => ({ recipient, status: 'deferred' as const, response: lastError, remoteMta: target.host })),
              ];
              break items;
            }
          }
          results[index] = done;
          await onItem?.(index, done);
        }
      } finally {
        this.sessions.delete(session);
        session.quit();
      }
    }
    return results.map(
      (result, index) =>
        result ??
        items[index]!.recipients.map((recipient) => ({
          recipient,
          status: 'deferred' as const,
          response: lastError,
          remoteMta: null,
        })),
    );
  }

  /** Closes sessions in flight (shutdown); their messages are retried. */
  closeAll(): void {
    for (const session of this.sessions) session.close();
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
}
