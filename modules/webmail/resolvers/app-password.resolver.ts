import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessTokenService } from '../../../core/accounts/access-token.service.js';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import type { AccessToken } from '../../../core/accounts/access-token.js';
import type { Principal } from '../../../core/accounts/principal.js';
import { AppPasswordModel, CreatedAppPasswordModel } from '../models/app-password.model.js';
import { badInput, notFound, parseId } from '../services/mail-api.errors.js';

const MAX_APP_PASSWORDS = 50;

/** What an app password may open: the protocols of mail clients, never the API or the web. */
const APP_PASSWORD_PROTOCOLS = ['imap', 'pop3', 'smtp'] as const;

function toModel(token: Pick<AccessToken, 'id' | 'label' | 'createdAt' | 'lastUsedAt' | 'lastAddress' | 'protocols'>): AppPasswordModel {
  const used = token.lastUsedAt > token.createdAt;
  return {
    id: String(token.id),
    label: token.label,
    createdAt: new Date(token.createdAt),
    lastUsedAt: used ? new Date(token.lastUsedAt) : null,
    lastAddress: used && token.lastAddress !== '' ? token.lastAddress : null,
    protocols: token.protocols,
  };
}

/** The protocols asked for, in canonical order; all three when none are named. */
function appPasswordProtocols(asked: string[] | null | undefined): string[] {
  if (!asked) return [...APP_PASSWORD_PROTOCOLS];
  if (asked.length > APP_PASSWORD_PROTOCOLS.length * 2) throw badInput('too many protocols');
  const words = asked.map((word) => word.trim().toLowerCase());
  if (words.length === 0 || !words.every((word) => (APP_PASSWORD_PROTOCOLS as readonly string[]).includes(word)))
    throw badInput(`protocols must be some of ${APP_PASSWORD_PROTOCOLS.join(', ')}`);
  return APP_PASSWORD_PROTOCOLS.filter((protocol) => words.includes(protocol));
}

@Resolver()
@UseGuards(AuthenticatedGuard)
export class AppPasswordResolver {
  constructor(private readonly tokens: AccessTokenService) {}

  @Query(() => [AppPasswordModel])
  async appPasswords(@CurrentAccount() account: Principal): Promise<AppPasswordModel[]> {
    return (await this.tokens.list(account.id, 'app_password')).map(toModel);
  }

  @Mutation(() => CreatedAppPasswordModel, {
    description:
      'Creates an app password for the named protocols (imap, pop3, smtp; all three by default); the secret is ' +
      'returned only here. It never opens a GraphQL or web session',
  })
  async createAppPassword(
    @CurrentAccount() account: Principal,
    @Args('label') label: string,
    @Args('protocols', { type: () => [String], nullable: true }) protocols: string[] | null,
  ): Promise<CreatedAppPasswordModel> {
    const trimmed = label.trim();
    if (trimmed === '' || trimmed.length > 200) throw badInput('a label of 1 to 200 characters is required');
    const scope = appPasswordProtocols(protocols);
    if ((await this.tokens.list(account.id, 'app_password')).length >= MAX_APP_PASSWORDS) {
      throw badInput(`at most ${MAX_APP_PASSWORDS} app passwords; revoke one first`);
    }
    const issued = await this.tokens.issue(account.id, 'app_password', trimmed, scope);
    const now = Date.now();
    return {
      appPassword: toModel({ id: issued.id, label: trimmed, createdAt: now, lastUsedAt: now, lastAddress: '', protocols: scope }),
      secret: issued.secret,
    };
  }

  @Mutation(() => Boolean, { description: 'Revokes an app password; the IMAP and POP3 sessions it opened end at once, on every node' })
  async revokeAppPassword(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    const numeric = parseId(id);
    const own = numeric === null ? [] : (await this.tokens.list(account.id, 'app_password')).filter((token) => token.id === numeric);
    if (own.length === 0 || !(await this.tokens.revoke(account.id, own[0].id))) throw notFound('app password');
    return true;
  }
}
