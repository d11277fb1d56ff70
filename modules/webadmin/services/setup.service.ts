import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { parseAddress } from '../../../core/envelope/address.js';
import { LOGGER } from '../../../core/logging/logger.js';
import { isLoopback } from '../../../core/util/loopback.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import { accountsCall, badInput, cannot } from './admin-errors.js';
import { isHostname, RuntimeSettingsService } from './runtime-settings.service.js';

export interface SetupRequest {
  token: string | null;
  hostname: string;
  domain: string;
  address: string;
  password: string;
  clientAddress: string;
}

function sameSecret(offered: string, secret: string): boolean {
  return timingSafeEqual(createHash('sha256').update(offered).digest(), createHash('sha256').update(secret).digest());
}

/**
 * The first run: while no system admin exists, WebAdmin's setup wizard may create one. It is safe on an exposed port
 * because it needs the one-time token this node prints in its log at start, unless the request comes from loopback.
 */
@Injectable()
export class SetupService implements OnApplicationBootstrap {
  private token: string | null = null;
  private running = false;

  constructor(
    private readonly accounts: AccountsService,
    private readonly settings: RuntimeSettingsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.accounts.hasSystemAdmin()) return;
    this.token = randomBytes(18).toString('base64url');
    // Warn level: the one line an operator must see on a first start, whatever the log level.
    this.logger.warn(`WebAdmin setup: no system admin exists yet; open /admin and enter the setup token ${this.token}`);
  }

  async needed(): Promise<boolean> {
    return !(await this.accounts.hasSystemAdmin());
  }

  tokenRequired(clientAddress: string): boolean {
    return !isLoopback(clientAddress);
  }

  /** Sets the host name, adds the first domain and the first system admin; returns the admin's account id. */
  async run(request: SetupRequest): Promise<number> {
    if (this.running || !(await this.needed())) throw forbidden();
    if (
      this.tokenRequired(request.clientAddress) &&
      (!this.token || !request.token || request.token.length > 128 || !sameSecret(request.token, this.token))
    )
      throw forbidden();
    const hostname = request.hostname.trim().toLowerCase();
    if (!isHostname(hostname)) throw badInput('the host name must be a fully qualified name such as mail.example.org');
    const parsed = parseAddress(request.address);
    if (!parsed || parsed.domain !== request.domain.trim().toLowerCase()) throw badInput('the admin address must be in the first domain');
    this.running = true;
    try {
      const actor = { name: parsed.normalized, role: 'system_admin', clientAddress: request.clientAddress };
      if (!(await this.accounts.findDomain(parsed.domain))) await accountsCall(() => this.accounts.addDomain(parsed.domain, actor));
      if (await this.accounts.findUser(parsed.normalized)) throw cannot('that address exists already');
      const account = await accountsCall(() =>
        this.accounts.addUser({ address: parsed.normalized, password: request.password, role: 'system_admin' }, actor),
      );
      await this.settings.set(new Map([['hostname', hostname]]));
      this.token = null;
      return account.id;
    } finally {
      this.running = false;
    }
  }
}
