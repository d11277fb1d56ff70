import { Inject, Injectable } from '@nestjs/common';
import { dkimSign } from 'mailauth';
import type { Logger } from 'pino';
import { AccountsService } from '../accounts/accounts.service.js';
import { LOGGER } from '../logging/logger.js';

/** DKIM-signs outbound mail with the key of the sender's domain (created by `mailhive domain add`). */
@Injectable()
export class DkimSigner {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The message with a DKIM-Signature prepended, or unchanged when the sender domain has no key. */
  async sign(sender: string, raw: Buffer): Promise<Buffer> {
    const domainName = sender.slice(sender.lastIndexOf('@') + 1);
    if (!sender.includes('@')) return raw;
    const domain = await this.accounts.findDomain(domainName);
    if (!domain?.dkimPrivateKey) return raw;
    // mailauth 4 signs only what is listed in signatureData; top-level key options alone yield no signature.
    const result = await dkimSign(raw, {
      signingDomain: domain.name,
      selector: domain.dkimSelector,
      privateKey: domain.dkimPrivateKey,
      signatureData: [
        {
          signingDomain: domain.name,
          selector: domain.dkimSelector,
          privateKey: domain.dkimPrivateKey,
          canonicalization: 'relaxed/relaxed',
        },
      ],
    });
    if (result.errors.length > 0 || !result.signatures.startsWith('DKIM-Signature:')) {
      this.logger.warn({ domain: domain.name, error: result.errors[0]?.message }, 'DKIM signing failed; sending unsigned');
      return raw;
    }
    return Buffer.concat([Buffer.from(result.signatures), raw]);
  }
}
