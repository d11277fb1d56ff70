import { Injectable } from '@nestjs/common';
import { mayAdministerDomain, type AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { parseAddress } from '../../../core/envelope/address.js';
import type { AdminImportResultModel, AdminImportRowErrorModel } from '../models/admin-import.model.js';
import { badInput } from './admin-errors.js';
import { ADMIN_LIMITS } from './admin-limits.js';
import { actorOf } from './admin-users.service.js';
import { userRows, type UserCsvRow } from './user-csv.js';

const MB = 1024 * 1024;
/** Accounts created at once: each hashes its password (scrypt) in libuv's thread pool, which has four threads. */
const CONCURRENCY = 4;

export interface ImportOptions {
  dryRun: boolean;
  skipBadRows: boolean;
}

/**
 * Bulk user import from CSV. Every line is checked before anything is created: with a bad line and without
 * skipBadRows nothing is imported. WebAdmin sends a large file in parts, first all as dry runs, so the whole file
 * is checked before its first part is imported, and shows progress part by part.
 */
@Injectable()
export class AdminImportService {
  constructor(private readonly accounts: AccountsService) {}

  async importUsers(
    principal: AdminPrincipal,
    csv: string,
    options: ImportOptions,
    clientAddress: string,
  ): Promise<AdminImportResultModel> {
    if (csv.length > ADMIN_LIMITS.maxImportBytes)
      throw badInput(`an import part has at most ${ADMIN_LIMITS.maxImportBytes} characters; send the file in parts`);
    const parsed = userRows(csv);
    if ('refusal' in parsed) throw badInput(parsed.refusal);
    if (parsed.rows.length > ADMIN_LIMITS.maxImportRows)
      throw badInput(`an import part has at most ${ADMIN_LIMITS.maxImportRows} lines; send the file in parts`);
    const errors: AdminImportRowErrorModel[] = [];
    const good: UserCsvRow[] = [];
    const seen = new Set<string>();
    const domains = new Map((await this.accounts.listDomains()).map((domain) => [domain.name, domain.id]));
    for (const row of parsed.rows) {
      const problem = await this.problem(principal, row, domains, seen);
      if (problem) errors.push({ line: row.line, address: row.address.slice(0, 320), message: problem });
      else good.push(row);
    }
    if (options.dryRun || (errors.length > 0 && !options.skipBadRows)) return { rows: parsed.rows.length, imported: 0, errors };
    let imported = 0;
    const actor = actorOf(principal, clientAddress);
    for (let index = 0; index < good.length; index += CONCURRENCY) {
      await Promise.all(
        good.slice(index, index + CONCURRENCY).map(async (row) => {
          try {
            await this.accounts.addUser(
              {
                address: row.address,
                password: row.password,
                displayName: row.name || undefined,
                quotaBytes: row.quotaMb === '' ? undefined : Number(row.quotaMb) * MB,
              },
              actor,
            );
            imported++;
          } catch (error) {
            // Taken meanwhile by another request: reported like a bad line.
            errors.push({ line: row.line, address: row.address, message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
    }
    errors.sort((a, b) => a.line - b.line);
    return { rows: parsed.rows.length, imported, errors };
  }

  /** Why the line cannot be imported, or null. Outside the admin's scope reads the same whether the domain exists. */
  private async problem(
    principal: AdminPrincipal,
    row: UserCsvRow,
    domains: Map<string, number>,
    seen: Set<string>,
  ): Promise<string | null> {
    const address = parseAddress(row.address);
    if (!address) return 'not an email address';
    const domainId = domains.get(address.domain);
    if (domainId === undefined)
      return principal.role === 'system_admin' ? `the domain ${address.domain} is not hosted here` : 'the domain is outside your scope';
    if (!mayAdministerDomain(principal, domainId)) return 'the domain is outside your scope';
    if (seen.has(address.normalized)) return 'the address is in the file twice';
    seen.add(address.normalized);
    if (row.password.length < 8 || row.password.length > 1024) return 'the password must have 8 to 1024 characters';
    if (row.name.length > 200) return 'the name has at most 200 characters';
    if (row.quotaMb !== '' && !/^\d{1,9}$/.test(row.quotaMb)) return 'quota_mb must be a whole number of megabytes (0 = unlimited)';
    if (await this.accounts.findUser(address.normalized)) return 'the user exists already';
    return null;
  }
}
