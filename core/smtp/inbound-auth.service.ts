import { Inject, Injectable } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { authenticate } from 'mailauth';
import type { Logger } from 'pino';
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
        spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', dmarcReject: false,
      };
    }
  }

  private async authenticate(input: InboundAuthInput): Promise<InboundAuthResult> {
    const result = await authenticate(input.content ?? createReadStream(input.spoolPath), {
      ip: input.remoteAddress, helo: input.helo, sender: input.sender, mta: this.config.hostname,
      resolver: this.dns.resolve, disableBimi: true,
    });
    const dkim = result.dkim.results?.map((row) => row.status.result).join(',') || 'none';
    const spf = result.spf ? result.spf.status.result : 'none';
    const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
    const arcSealer = result.arc && result.arc.status.result === 'pass' && result.arc.signature ? result.arc.signature.signingDomain.toLowerCase() : null;
    const trustedSealer = arcSealer !== null && this.config.smtpArcTrustedSealers.includes(arcSealer);
    // RFC 8617 §7.2: a forwarder we trust vouches for the authentication it saw before it changed the message.
    const dmarcReject = !!result.dmarc && result.dmarc.status.result === 'fail' && result.dmarc.policy === 'reject' && !trustedSealer;
    this.logger.debug({ spf, dkim, dmarc, arcSealer }, 'inbound authentication');
    return { headers: result.headers, spf, dkim, dmarc, dmarcReject };
  }
}
