import { Inject, Injectable } from '@nestjs/common';
import { parseAddress, type ParsedAddress } from '../envelope/address.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import type { Account } from '../accounts/account.js';
import {
  hostedRecipient,
  isHostedDomain,
  recipientAccount,
  recipientAccounts,
  recipientAliasTargets,
  type RecipientAccountRow,
} from '../store/repositories/recipient.repository.js';
import { StoreService } from '../store/store.service.js';
import { DistributionLists } from './distribution-lists.service.js';

/** What delivery needs of a local account: its address, quota state and INBOX (null if it has none). */
export type RecipientAccount = Pick<Account, 'id' | 'address' | 'quotaBytes' | 'usedBytes'> & { inboxId: number | null };

export type Resolution =
  /**
   * Local accounts the address delivers to (one for a user, several for a list), plus remote list members; `lists`
   * are the computed lists (DistributionLists) the expansion went through, whose send policies apply.
   */
  | { kind: 'local'; accounts: RecipientAccount[]; remote: string[]; lists?: string[] }
  /** A domain we do not host. */
  | { kind: 'remote'; address: string }
  /**
   * A hosted domain without such a user, alias or catch-all; `loop` when the address is an alias whose expansion
   * only came back to itself (or went deeper than MAX_ALIAS_DEPTH): RFC 3463 §3.5, X.4.6 routing loop detected.
   */
  | { kind: 'unknown'; loop?: true }
  | { kind: 'invalid' };

const MAX_ALIAS_DEPTH = 8;
/** Addresses per statement when reading a computed list's member accounts. */
const MEMBER_BATCH = 500;

/** The state of one alias expansion: what it found, the addresses on the current path, and whether it met a cycle. */
interface AliasWalk {
  accounts: Map<number, RecipientAccount>;
  remote: Set<string>;
  seen: Set<string>;
  path: Set<string>;
  looped: boolean;
  lists?: string[];
}

/**
 * Resolves a recipient address at RCPT time: user, alias, distribution list, sub-address (user+tag, when no address
 * of that name exists) or catch-all. A user address (the common case) costs one statement (recipient.repository).
 */
@Injectable()
export class RecipientResolver {
  constructor(
    private readonly store: StoreService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    readonly lists: DistributionLists,
  ) {}

  async resolve(input: string): Promise<Resolution> {
    const address = parseAddress(input);
    if (!address) return { kind: 'invalid' };
    const hosted = await hostedRecipient(this.store.reader, address.normalized, address.domain);
    if (!hosted) return { kind: 'remote', address: address.normalized };
    const accounts = new Map<number, RecipientAccount>();
    const remote = new Set<string>();
    const walk: AliasWalk = { accounts, remote, seen: new Set([address.normalized]), path: new Set([address.normalized]), looped: false };
    let found =
      hosted.account !== null
        ? this.addAccount(accounts, address.normalized, hosted.account)
        : await this.expandAlias(address.normalized, walk, 0);
    const base = found ? null : this.baseAddress(address);
    if (base) found = await this.expand(base, walk, 0);
    if (!found && hosted.catchAll) await this.expand(hosted.catchAll, { ...walk, seen: new Set(), path: new Set() }, 0);
    if (accounts.size === 0 && remote.size === 0) return walk.looped ? { kind: 'unknown', loop: true } : { kind: 'unknown' };
    return { kind: 'local', accounts: [...accounts.values()], remote: [...remote], ...(walk.lists ? { lists: walk.lists } : {}) };
  }

  async isHostedDomain(domain: string): Promise<boolean> {
    return isHostedDomain(this.store.reader, domain);
  }

  /** `user@domain` of `user+tag@domain` (RFC 5233); null without a delimiter in the local part. */
  private baseAddress(address: ParsedAddress): string | null {
    let at = -1;
    for (const delimiter of this.config.recipientDelimiter) {
      const index = address.local.indexOf(delimiter);
      if (index > 0 && (at < 0 || index < at)) at = index;
    }
    return at > 0 ? `${address.local.slice(0, at)}@${address.domain}` : null;
  }

  /** Adds what `address` delivers to; false when it names neither a user nor an alias. */
  private async expand(address: string, walk: AliasWalk, depth: number): Promise<boolean> {
    // An address on the current path is a cycle; one merely seen before (two lists sharing a member) is not.
    if (walk.path.has(address) || depth > MAX_ALIAS_DEPTH) {
      walk.looped = true;
      return true;
    }
    if (walk.seen.has(address)) return true;
    walk.seen.add(address);
    const account = await recipientAccount(this.store.reader, address);
    if (account) return this.addAccount(walk.accounts, address, account);
    walk.path.add(address);
    try {
      return await this.expandAlias(address, walk, depth);
    } finally {
      walk.path.delete(address);
    }
  }

  private async expandAlias(address: string, walk: AliasWalk, depth: number): Promise<boolean> {
    const members = await this.lists.expand(address);
    if (members) {
      (walk.lists ??= []).push(address);
      await this.addMemberAccounts(members, walk);
      for (const member of members) await this.expand(member, walk, depth + 1);
      return true;
    }
    const targets = await recipientAliasTargets(this.store.reader, address);
    if (!targets) return false;
    for (const target of targets) {
      if (!(await this.isHostedDomain(target.slice(target.lastIndexOf('@') + 1)))) walk.remote.add(target);
      else await this.expand(target, walk, depth + 1);
    }
    return true;
  }

  /**
   * The accounts among a computed list's members, read in batches, so a list of thousands costs a few statements;
   * they are marked seen, and only members that are not accounts (aliases, remote addresses) are expanded one by one.
   */
  private async addMemberAccounts(members: readonly string[], walk: AliasWalk): Promise<void> {
    const fresh = members.filter((member) => !walk.seen.has(member) && !walk.path.has(member));
    for (let start = 0; start < fresh.length; start += MEMBER_BATCH) {
      const batch = fresh.slice(start, start + MEMBER_BATCH);
      for (const [address, row] of await recipientAccounts(this.store.reader, batch)) {
        walk.seen.add(address);
        this.addAccount(walk.accounts, address, row);
      }
    }
  }

  /** A disabled account takes no mail, but its address still exists (no catch-all for it). */
  private addAccount(accounts: Map<number, RecipientAccount>, address: string, row: RecipientAccountRow): true {
    if (row.enabled)
      accounts.set(row.id, { id: row.id, address, quotaBytes: row.quotaBytes, usedBytes: row.usedBytes, inboxId: row.inboxId });
    return true;
  }
}
