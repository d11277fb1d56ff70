import { NetworkList } from '../util/network-list.js';

/**
 * Who may reach a guarded surface (WebAdmin and the admin API): anyone when the list is empty, else addresses in one
 * of its networks (MAILHIVE_ADMIN_ALLOW, validated by the config schema).
 */
export class AddressAllowList {
  private readonly networks: NetworkList | null;

  constructor(entries: readonly string[]) {
    this.networks = entries.length === 0 ? null : new NetworkList(entries);
  }

  allows(remoteAddress: string): boolean {
    return this.networks?.has(remoteAddress) ?? true;
  }
}
