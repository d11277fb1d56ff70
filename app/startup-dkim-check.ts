import type { Logger } from 'pino';
import type { AccountsService } from '../core/accounts/accounts.service.js';
import type { DnsResolver } from '../core/dns/dns-resolver.service.js';
import { dkimPublication } from '../core/outbound/dkim-publication.js';

/** More hosted domains than this are not checked at start: the check is a hint, not an audit. */
const MAX_DOMAINS_CHECKED = 50;

/**
 * After start, warns for each hosted domain whose DKIM key DNS does not publish: its outgoing mail is signed with a
 * key no receiver can verify, which DMARC then treats as unsigned. Runs in the background; DNS failures are only noted.
 */
export async function warnUnpublishedDkim(accounts: AccountsService, dns: DnsResolver, logger: Logger): Promise<void> {
  const domains = (await accounts.listDomains()).filter((domain) => domain.dkimPrivateKey).slice(0, MAX_DOMAINS_CHECKED);
  await Promise.all(
    domains.map(async (domain) => {
      const name = `${domain.dkimSelector}._domainkey.${domain.name}`;
      const state = await dkimPublication(
        (host, type) => dns.resolve(host, type) as Promise<string[][]>,
        domain.name,
        domain.dkimSelector,
        domain.dkimPrivateKey!,
      );
      if (state === 'missing') {
        logger.warn(
          { domain: domain.name },
          `domain ${domain.name}: no DKIM record at ${name}; receivers cannot verify its signed mail. Publish the record printed by: mailhive domain dkim ${domain.name}`,
        );
      } else if (state === 'different') {
        logger.warn(
          { domain: domain.name },
          `domain ${domain.name}: the DKIM record at ${name} holds another key than the one mail is signed with. Publish the record printed by: mailhive domain dkim ${domain.name}`,
        );
      } else if (state === 'unknown') {
        logger.info({ domain: domain.name }, `domain ${domain.name}: DKIM record not checked (DNS did not answer)`);
      }
    }),
  );
}
