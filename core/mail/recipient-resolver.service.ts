import { Injectable } from '@nestjs/common';
import { parseAddress } from '../accounts/address.js';
import type { AccountEntity } from '../store/entities/account.entity.js';
import { sqlOne } from '../store/raw-sql.js';
import { StoreService } from '../store/store.service.js';

/** What delivery needs of a local account: its address, quota state and INBOX (null if it has none). */
export type RecipientAccount = Pick<AccountEntity, 'id' | 'address' | 'quotaBytes' | 'usedBytes'> & { inboxId: number | null };

export type Resolution =
  /** Local accounts the address delivers to (one for a user, several for a list), plus remote list members. */
  | { kind: 'local'; accounts: RecipientAccount[]; remote: string[] }
  /** A domain we do not host. */
  | { kind: 'remote'; address: string }
  /** A hosted domain without such a user, alias or catch-all. */
  | { kind: 'unknown' }
  | { kind: 'invalid' };

const MAX_ALIAS_DEPTH = 8;

/**
 * Resolves a recipient address at RCPT time: user, alias, distribution list or catch-all. Runs for every recipient of
 * every message, so it reads with plain indexed SQL (one statement per address) rather than entity queries.
 */
@Injectable()
export class RecipientResolver {
  constructor(private readonly store: StoreService) {}

  async resolve(input: string): Promise<Resolution> {
    const address = parseAddress(input);
    if (!address) return { kind: 'invalid' };
    const domain = await this.domain(address.domain);
    if (!domain) return { kind: 'remote', address: address.normalized };
    const accounts = new Map<number, RecipientAccount>();
    const remote = new Set<string>();
    const found = await this.expand(address.normalized, accounts, remote, new Set(), 0);
    if (!found && domain.catchAll) await this.expand(domain.catchAll, accounts, remote, new Set(), 0);
    if (accounts.size === 0 && remote.size === 0) return { kind: 'unknown' };
    return { kind: 'local', accounts: [...accounts.values()], remote: [...remote] };
  }

  /** Adds what `address` delivers to; false when it names neither a user nor an alias. */
  private async expand(address: string, accounts: Map<number, RecipientAccount>, remote: Set<string>, seen: Set<string>, depth: number): Promise<boolean> {
    if (seen.has(address) || depth > MAX_ALIAS_DEPTH) return true;
    seen.add(address);
    const account = await sqlOne<Record<'id' | 'quotaBytes' | 'usedBytes' | 'enabled', number | string | boolean> & { inboxId: number | string | null }>(this.store.reader,
      'SELECT a.`id`, a.`quotaBytes`, a.`usedBytes`, a.`enabled`, m.`id` AS `inboxId` FROM `accounts` a '
      + "LEFT JOIN `mailboxes` m ON m.`accountId` = a.`id` AND m.`path` = 'INBOX' WHERE a.`address` = ?", [address]);
    if (account) {
      if (Number(account.enabled)) {
        accounts.set(Number(account.id), {
          id: Number(account.id), address, quotaBytes: Number(account.quotaBytes), usedBytes: Number(account.usedBytes),
          inboxId: account.inboxId === null ? null : Number(account.inboxId),
        });
      }
      return true;
    }
    const alias = await sqlOne<{ targets: string }>(this.store.reader, 'SELECT `targets` FROM `aliases` WHERE `address` = ?', [address]);
    if (!alias) return false;
    for (const target of JSON.parse(alias.targets) as string[]) {
      const hosted = await this.domain(target.slice(target.lastIndexOf('@') + 1));
      if (!hosted) remote.add(target);
      else await this.expand(target, accounts, remote, seen, depth + 1);
    }
    return true;
  }

  private async domain(name: string): Promise<{ catchAll: string | null } | null> {
    return sqlOne<{ catchAll: string | null }>(this.store.reader, 'SELECT `catchAll` FROM `domains` WHERE `name` = ?', [name]);
  }
}
