import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import type { AccessToken } from '../../../core/accounts/access-token.js';
import type { Principal } from '../../../core/accounts/principal.js';
import { AppPasswordModel, CreatedAppPasswordModel } from '../models/app-password.model.js';
import { badInput, notFound, parseId } from '../services/mail-api.errors.js';

const MAX_APP_PASSWORDS = 50;

function toModel(token: Pick<AccessToken, 'id' | 'label' | 'createdAt' | 'lastUsedAt'>): AppPasswordModel {
  return {
    id: String(token.id),
    label: token.label,
    createdAt: new Date(token.createdAt),
    lastUsedAt: token.lastUsedAt > token.createdAt ? new Date(token.lastUsedAt) : null,
  };
}

@Resolver()
@UseGuards(AuthenticatedGuard)
export class AppPasswordResolver {
  constructor(private readonly tokens: AccessTokenService) {}

  @Query(() => [AppPasswordModel])
  async appPasswords(@CurrentAccount() account: Principal): Promise<AppPasswordModel[]> {
    return (await this.tokens.list(account.id, 'app_password')).map(toModel);
  }

  @Mutation(() => CreatedAppPasswordModel, { description: 'Creates an app password; the secret is returned only here' })
  async createAppPassword(@CurrentAccount() account: Principal, @Args('label') label: string): Promise<CreatedAppPasswordModel> {
    const trimmed = label.trim();
    if (trimmed === '' || trimmed.length > 200) throw badInput('a label of 1 to 200 characters is required');
    if ((await this.tokens.list(account.id, 'app_password')).length >= MAX_APP_PASSWORDS) {
      throw badInput(`at most ${MAX_APP_PASSWORDS} app passwords; revoke one first`);
    }
    const issued = await this.tokens.issue(account.id, 'app_password', trimmed);
    const now = Date.now();
    return { appPassword: toModel({ id: issued.id, label: trimmed, createdAt: now, lastUsedAt: now }), secret: issued.secret };
  }

  @Mutation(() => Boolean)
  async revokeAppPassword(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    const numeric = parseId(id);
    const own = numeric === null ? [] : (await this.tokens.list(account.id, 'app_password')).filter((token) => token.id === numeric);
    if (own.length === 0 || !(await this.tokens.revoke(account.id, own[0].id))) throw notFound('app password');
    return true;
  }
}
