import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { authenticate } from 'mailauth';
import type { Logger } from 'pino';
import { normalizeDomain } from '../envelope/address.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { DnsResolver } from '../dns/dns-resolver.service.js';
import { LOGGER } from '../logging/logger.js';

export interface InboundAuthInput {
  spoolPath: string;
  /** The whole message when already in memory; otherwise it is streamed from the spool file. */
  content: Buffer | null;
  remoteAddress: string;
  helo: string;
  sender: string;
}

export interface InboundAuthResult {
  /** Authentication-Results and Received-SPF, as whole CRLF-terminated lines to prepend. */
  headers: string;
  spf: string;
  dkim: string;
  dmarc: string;
  /** DMARC failed and the sender domain asks for reject. */
  dmarcReject: boolean;
  /** Domains SPF (MAIL FROM) or a DKIM signature authenticated, in lower-case. */
  authenticatedDomains: string[];
  /** A trusted ARC sealer's chain verified: it vouches for the authentication it saw before changing the message. */
  trustedSealer: boolean;
}

/**
 * Whether the message is authenticated as sent by `domain` (lower-case ASCII): SPF or DKIM passed for it or for a
 * domain aligned with it, or a trusted ARC sealer vouches. Checked for every address of the From field, since a
 * reader sees each of them as an author (RFC 5322 §3.6.2).
 */
export function authenticatesDomain(result: InboundAuthResult, domain: string): boolean {
  return result.trustedSealer || result.authenticatedDomains.some((passed) => aligned(passed, domain));
}

/** SPF, DKIM, DMARC and ARC of an inbound message (mailauth), over the DnsResolver so tests can serve fixtures. */
@Injectable()
export class InboundAuthService {
  constructor(
    private readonly dns: DnsResolver,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async check(input: InboundAuthInput): Promise<InboundAuthResult> {
    try {
      return await this.authenticate(input);
    } catch (error) {
      // A message mailauth cannot process is still delivered, marked as unchecked, rather than refused for our failure.
      this.logger.warn({ err: error }, 'inbound authentication failed');
      return {
        headers: `Authentication-Results: ${this.config.hostname}; none (authentication checks failed)\r\n`,
        spf: 'temperror',
        dkim: 'temperror',
        dmarc: 'temperror',
        dmarcReject: false,
        authenticatedDomains: [],
        trustedSealer: false,
      };
    }
  }

  private async authenticate(input: InboundAuthInput): Promise<InboundAuthResult> {
    const result = await authenticate(input.content ?? createReadStream(input.spoolPath), {
      ip: input.remoteAddress,
      helo: input.helo,
      sender: input.sender,
      mta: this.config.hostname,
      resolver: this.dns.resolve,
      disableBimi: true,
    });
    const dkim = result.dkim.results?.map((row) => row.status.result).join(',') || 'none';
    const spf = result.spf ? result.spf.status.result : 'none';
    const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
    const arcSealer =
      result.arc && result.arc.status.result === 'pass' && result.arc.signature ? result.arc.signature.signingDomain.toLowerCase() : null;
    const trustedSealer = arcSealer !== null && this.config.smtpArcTrustedSealers.includes(arcSealer);
    // RFC 8617 §7.2: a forwarder we trust vouches for the authentication it saw before it changed the message.
    const dmarcReject = !!result.dmarc && result.dmarc.status.result === 'fail' && result.dmarc.policy === 'reject' && !trustedSealer;
    const authenticatedDomains = [
      ...(spf === 'pass' && result.spf ? [result.spf.domain] : []),
      ...(result.dkim.results ?? []).filter((row) => row.status.result === 'pass').map((row) => row.signingDomain),
    ].map((domain) => normalizeDomain(domain) ?? domain.toLowerCase());
    this.logger.debug({ spf, dkim, dmarc, arcSealer }, 'inbound authentication');
    return { headers: result.headers, spf, dkim, dmarc, dmarcReject, authenticatedDomains, trustedSealer };
  }
}

/** Relaxed alignment (RFC 7489 §3.1) without the public suffix list: one domain is the other or a subdomain of it. */
function aligned(authenticated: string, from: string): boolean {
  return authenticated === from || authenticated.endsWith(`.${from}`) || from.endsWith(`.${authenticated}`);
}
