import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { parseAddress } from '../../../core/envelope/address.js';
import { requestSessionToken } from '../../../core/http/web-session-cookie.js';
import { ListeningPorts } from '../../../core/transports/listening-ports.js';
import { contentDisposition } from '../http/content-disposition.js';
import { appleMobileconfig } from './apple-mobileconfig.js';
import { mailEndpoints, type MailEndpoints } from './mail-endpoints.js';
import { AUTODISCOVER_MAX_REQUEST_BYTES, autodiscoverAddress, autodiscoverError, autodiscoverResponse } from './outlook-autodiscover.js';
import { thunderbirdAutoconfig } from './thunderbird-autoconfig.js';

/** The request body as text, or null when it is larger than `limit` bytes (the rest is not read). */
async function readBody(req: Request, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The host name of the request, without a port, lower case; '' when there is none. */
function requestHost(req: Request): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? '' : host.replace(/:\d+$/, '');
}

/**
 * One-tap mail client setup, on the HTTP port: Thunderbird autoconfig (`/.well-known/autoconfig/mail/config-v1.1.xml`
 * on the mail domain, `/mail/config-v1.1.xml` on `autoconfig.<domain>`), Outlook autodiscover (POX, POST
 * `/autodiscover/autodiscover.xml`) and, for a signed-in user, an Apple .mobileconfig profile. Each names this
 * server's host name and the ports its listeners bound, and only for a domain it hosts.
 */
@Controller()
export class ClientSetupController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly listening: ListeningPorts,
    private readonly tokens: AccessTokenService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  private endpoints(): MailEndpoints {
    return mailEndpoints(this.config.hostname, this.listening.ports);
  }

  private async hosted(domain: string): Promise<boolean> {
    return domain !== '' && domain.length <= 253 && (await this.accounts.findDomain(domain)) !== null;
  }

  // GET /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=ann@example.com   (Host: example.com)
  // GET /mail/config-v1.1.xml?emailaddress=ann@example.com                         (Host: autoconfig.example.com)
  @Get(['.well-known/autoconfig/mail/config-v1.1.xml', 'mail/config-v1.1.xml'])
  async autoconfig(@Req() req: Request, @Res() res: Response, @Query('emailaddress') emailaddress?: unknown): Promise<void> {
    const given = typeof emailaddress === 'string' ? parseAddress(emailaddress) : null;
    const domain = given ? given.normalized.slice(given.normalized.lastIndexOf('@') + 1) : requestHost(req).replace(/^autoconfig\./, '');
    if (!(await this.hosted(domain))) {
      res.status(404).type('text/plain').send('no mail domain of that name here\n');
      return;
    }
    res.status(200).type('application/xml; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(thunderbirdAutoconfig(domain, 'Mailhive', this.endpoints()));
  }

  // POST /autodiscover/autodiscover.xml   <Autodiscover ...><Request><EMailAddress>ann@example.com</EMailAddress>...
  @Post('autodiscover/autodiscover.xml')
  @HttpCode(200)
  async autodiscover(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = await readBody(req, AUTODISCOVER_MAX_REQUEST_BYTES);
    if (body === null) {
      res.setHeader('Connection', 'close');
      res.status(413).type('text/plain').send('request too large\n');
      return;
    }
    const address = parseAddress(autodiscoverAddress(body) ?? '');
    const domain = address ? address.normalized.slice(address.normalized.lastIndexOf('@') + 1) : '';
    res.type('application/xml; charset=utf-8');
    if (!address || !(await this.hosted(domain))) {
      res.send(autodiscoverError());
      return;
    }
    res.send(autodiscoverResponse(address.normalized, this.endpoints()));
  }

  // GET /api/webmail/setup/mobileconfig   (signed in: the profile of the caller's own account)
  @Get('api/webmail/setup/mobileconfig')
  async mobileconfig(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = requestSessionToken(req);
    const account = token ? ((await this.tokens.verifySession(token))?.account ?? null) : null;
    if (!account) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: 'UNAUTHENTICATED' });
      return;
    }
    const profile = appleMobileconfig(account.address, account.displayName, this.endpoints());
    if (!profile) {
      res.status(404).json({ error: 'NOT_FOUND', message: 'this server has no IMAP or submission port open' });
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/x-apple-aspen-config');
    res.setHeader('Content-Disposition', contentDisposition(`${account.address}.mobileconfig`));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    // As bytes: Express would add a charset to the media type, which Apple's installer does not expect.
    res.end(Buffer.from(profile, 'utf8'));
  }
}
