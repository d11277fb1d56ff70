import { Injectable } from '@nestjs/common';
import type { Account } from '../../../core/accounts/account.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { UserSettingsRepository } from '../repositories/user-settings.repository.js';
import { readSettings, settingsProblem, settingsRows, type SettingsChange, type UserSettings } from '../settings/user-settings.js';
import { badInput } from './mail-api.errors.js';

/** Each user's own webmail settings, and the addresses they may send as. */
@Injectable()
export class UserSettingsService {
  constructor(
    private readonly repository: UserSettingsRepository,
    private readonly accounts: AccountsService,
  ) {}

  /**
   * The addresses the account may put in From, lower case: its own, and every alias whose one target is the account.
   * A distribution list (several targets) is not one person's address, so nobody sends as it from here.
   */
  async sendableAddresses(account: Pick<Account, 'address'>): Promise<string[]> {
    const own = account.address.toLowerCase();
    const aliases = (await this.accounts.listAliases())
      .filter((alias) => alias.targets.length === 1 && alias.targets[0].toLowerCase() === own)
      .map((alias) => alias.address.toLowerCase())
      .sort();
    return [own, ...aliases.filter((address) => address !== own)];
  }

  /** The settings; identities whose alias has since been removed are left out. */
  async get(account: Account): Promise<UserSettings> {
    const [stored, sendable] = await Promise.all([this.repository.read(account.id), this.sendableAddresses(account)]);
    const settings = readSettings(stored);
    const allowed = new Set(sendable);
    return { ...settings, identities: settings.identities.filter((identity) => allowed.has(identity.address.toLowerCase())) };
  }

  async update(account: Account, change: SettingsChange): Promise<UserSettings> {
    const problem = settingsProblem(change, new Set(await this.sendableAddresses(account)));
    if (problem) throw badInput(problem);
    const normalised: SettingsChange = {
      ...change,
      ...(change.identities
        ? { identities: change.identities.map((identity) => ({ ...identity, address: identity.address.toLowerCase() })) }
        : {}),
    };
    await this.repository.write(account.id, settingsRows(normalised));
    return this.get(account);
  }

  /** Changes the account's own display name (the name its mail goes out with). */
  async setDisplayName(account: Account, displayName: string): Promise<Account> {
    const name = displayName.trim();
    if (name.length > 200 || /[\r\n\0]/.test(name)) throw badInput('a display name has at most 200 characters and no line breaks');
    return this.accounts.updateUser(
      account.address,
      { displayName: name },
      { name: account.address, role: account.role, clientAddress: '' },
    );
  }
}
