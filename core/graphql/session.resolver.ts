import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AccessTokenService } from '../accounts/access-token.service.js';
import { AuthService } from '../accounts/auth.service.js';
import type { AccountEntity } from '../store/entities/account.entity.js';
import { AccountModel, SessionModel } from './account.model.js';
import { AuthenticatedGuard, CurrentAccount } from './authenticated.guard.js';
import type { GraphqlContext } from './graphql-context.js';
import { WebsocketSessions } from './websocket/websocket-sessions.service.js';

export function toAccountModel(account: AccountEntity): AccountModel {
  return {
    id: String(account.id), address: account.address, displayName: account.displayName, role: account.role,
    quotaBytes: account.quotaBytes, usedBytes: account.usedBytes,
  };
}

@Resolver()
export class SessionResolver {
  constructor(private readonly auth: AuthService, private readonly tokens: AccessTokenService, private readonly sockets: WebsocketSessions) {}

  @Mutation(() => SessionModel, { description: 'Signs in with address and password; returns a bearer token' })
  async login(@Args('email') email: string, @Args('password') password: string, @Context() context: GraphqlContext): Promise<SessionModel> {
    const result = await this.auth.authenticate({ username: email, password, remoteAddress: context.remoteAddress, protocol: 'graphql' });
    if (!result.ok) {
      const code = result.reason === 'locked' ? 'LOCKED' : result.reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'INVALID_CREDENTIALS';
      const message = result.reason === 'locked' ? 'too many failed logins; try again later' : 'invalid email or password';
      throw new GraphQLError(message, { extensions: { code } });
    }
    const issued = await this.tokens.issue(result.account.id, 'session');
    return { token: issued.secret, expiresAt: new Date(issued.expiresAt), account: toAccountModel(result.account) };
  }

  @Mutation(() => Boolean, { description: 'Ends the session of the bearer token' })
  @UseGuards(AuthenticatedGuard)
  async logout(@Context() context: GraphqlContext): Promise<boolean> {
    if (context.token) {
      await this.tokens.revokeSecret(context.token);
      this.sockets.endSession(context.token);
    }
    return true;
  }

  @Query(() => AccountModel, { description: 'The signed-in account' })
  @UseGuards(AuthenticatedGuard)
  me(@CurrentAccount() account: AccountEntity): AccountModel {
    return toAccountModel(account);
  }
}
