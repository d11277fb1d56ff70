import { Injectable } from '@nestjs/common';
import { parseAddress } from '../accounts/address.js';
import { AccountEntity } from '../store/entities/account.entity.js';
import { AliasEntity } from '../store/entities/alias.entity.js';
import { DomainEntity } from '../store/entities/domain.entity.js';
import { StoreService } from '../store/store.service.js';

export type Resolution =
  /** Local accounts the address delivers to (one for a user, several for a list), plus remote list members. */
  | { kind: 'local'; accounts: AccountEntity[]; remote: string[] }
  /** A domain we do not host. */
  | { kind: 'remote'; address: string }
  /** A hosted domain without such a user, alias or catch-all. */
  | { kind: 'unknown' }
  | { kind: 'invalid' };

const MAX_ALIAS_DEPTH = 8;

/** Resolves a recipient address at RCPT time: user, alias, distribution list or catch-all. */
@Injectable()
export class RecipientResolver {
  constructor(private readonly store: StoreService) {}

  async resolve(input: string): Promise<Resolution> {
    const address = parseAddress(input);
    if (!address) return { kind: 'invalid' };
    const domain = await this.store.reader.findOneBy(DomainEntity, { name: address.domain });
    if (!domain) return { kind: 'remote', address: address.normalized };
    const accounts = new Map<number, AccountEntity>();
    const remote = new Set<string>();
    const found = await this.expand(address.normalized, accounts, remote, new Set(), 0);
    if (!found && domain.catchAll) await this.expand(domain.catchAll, accounts, remote, new Set(), 0);
    if (accounts.size === 0 && remote.size === 0) return { kind: 'unknown' };
    return { kind: 'local', accounts: [...accounts.values()], remote: [...remote] };
  }

  /** Adds what `address` delivers to; false when it names neither a user nor an alias. */
  private async expand(address: string, accounts: Map<number, AccountEntity>, remote: Set<string>, seen: Set<string>, depth: number): Promise<boolean> {
    if (seen.has(address) || depth > MAX_ALIAS_DEPTH) return true;
    seen.add(address);
    const account = await this.store.reader.findOneBy(AccountEntity, { address });
    if (account) {
      if (account.enabled) accounts.set(account.id, account);
      return true;
    }
    const alias = await this.store.reader.findOneBy(AliasEntity, { address });
    if (!alias) return false;
    for (const target of alias.targets) {
      const domain = target.slice(target.lastIndexOf('@') + 1);
      const hosted = await this.store.reader.findOneBy(DomainEntity, { name: domain });
      if (!hosted) remote.add(target);
      else await this.expand(target, accounts, remote, seen, depth + 1);
    }
    return true;
  }
}
