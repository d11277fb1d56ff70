import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Account } from '../../../core/accounts/account.js';
import { AccountModel } from '../../../core/graphql/account.model.js';
import { toAccountModel } from '../../../core/graphql/session.resolver.js';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import { ListDensityValue, MailSettingsInput, MailSettingsModel, ReadingPaneValue } from '../models/user-settings.model.js';
import { UserSettingsService } from '../services/user-settings.service.js';
import type { SettingsChange, SettingsLanguage, UserSettings } from '../settings/user-settings.js';

/** Every field acts on the caller's own account only: there is no argument that names another. */
@Resolver()
@UseGuards(AuthenticatedGuard)
export class UserSettingsResolver {
  constructor(private readonly settings: UserSettingsService) {}

  private async model(account: Account, settings: UserSettings): Promise<MailSettingsModel> {
    return {
      ...settings,
      density: settings.density === 'compact' ? ListDensityValue.COMPACT : ListDensityValue.COMFORTABLE,
      readingPane: settings.readingPane === 'off' ? ReadingPaneValue.OFF : ReadingPaneValue.RIGHT,
      sendableAddresses: await this.settings.sendableAddresses(account),
    };
  }

  @Query(() => MailSettingsModel)
  async mailSettings(@CurrentAccount() account: Account): Promise<MailSettingsModel> {
    return this.model(account, await this.settings.get(account));
  }

  @Mutation(() => MailSettingsModel, { description: 'Changes the given settings of the signed-in user' })
  async updateMailSettings(@CurrentAccount() account: Account, @Args('input') input: MailSettingsInput): Promise<MailSettingsModel> {
    const change: SettingsChange = {};
    if (input.language !== undefined) change.language = input.language as SettingsLanguage | null;
    if (input.timeZone !== undefined) change.timeZone = input.timeZone;
    if (input.density) change.density = input.density;
    if (input.readingPane) change.readingPane = input.readingPane;
    if (input.conversationView != null) change.conversationView = input.conversationView;
    if (input.signatures) change.signatures = input.signatures.map(({ id, name, text }) => ({ id, name, text }));
    if (input.identities)
      change.identities = input.identities.map(({ address, name, signatureId }) => ({ address, name, signatureId: signatureId ?? null }));
    return this.model(account, await this.settings.update(account, change));
  }

  @Mutation(() => AccountModel, { description: "Changes the signed-in user's display name" })
  async setDisplayName(@CurrentAccount() account: Account, @Args('displayName') displayName: string): Promise<AccountModel> {
    return toAccountModel(await this.settings.setDisplayName(account, displayName));
  }
}
