import { Inject, Injectable } from '@nestjs/common';
import { mayAdministerDomain, type AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { DnsResolver } from '../../../core/dns/dns-resolver.service.js';
import { forbidden } from '../../../core/graphql/admin.guard.js';
import type { AdminDnsRecordModel } from '../models/admin-setup.model.js';
import { domainDnsInput, domainDnsRecords, recordSatisfied } from '../../../core/dns/domain-records.js';
import { RuntimeSettingsService } from './runtime-settings.service.js';

/** Longest answer text shown back; a DKIM key is about 400 characters. */
const MAX_FOUND_LENGTH = 1000;

function describeAnswer(answer: readonly unknown[]): string {
  return answer
    .map((record) => {
      if (Array.isArray(record)) return record.join('');
      const fields = (record ?? {}) as { priority?: number; weight?: number; port?: number; name?: string; exchange?: string };
      if (fields.exchange !== undefined) return `${fields.priority} ${fields.exchange}`;
      if (fields.port !== undefined) return `${fields.priority} ${fields.weight} ${fields.port} ${fields.name}`;
      return String(record);
    })
    .join(' | ')
    .slice(0, MAX_FOUND_LENGTH);
}

/** The DNS records of a hosted domain and, on request, whether the server's resolver sees each of them. */
@Injectable()
export class DomainDnsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly dns: DnsResolver,
    private readonly settings: RuntimeSettingsService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  async records(principal: AdminPrincipal, name: string, check: boolean): Promise<AdminDnsRecordModel[]> {
    // Outside the scope, or no such domain: the same refusal, so the answer tells nothing about other domains.
    const domain = name.length <= 253 ? await this.accounts.findDomain(name) : null;
    if (!domain || !mayAdministerDomain(principal, domain.id)) throw forbidden();
    const hostname = this.settings.hostname();
    const specs = domainDnsRecords(domainDnsInput(domain, hostname, this.config));
    return Promise.all(
      specs.map(async (spec) => {
        if (!check) return { ...spec, status: 'unchecked', found: '' };
        try {
          const answer = await this.dns.resolve(spec.name, spec.type);
          return { ...spec, status: recordSatisfied(spec, answer, hostname) ? 'pass' : 'fail', found: describeAnswer(answer) };
        } catch {
          return { ...spec, status: 'fail', found: '' };
        }
      }),
    );
  }
}
