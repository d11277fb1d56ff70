import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AccessTokenService } from '../../core/accounts/access-token.service.js';
import { AuthService } from '../../core/accounts/auth.service.js';
import { SessionModel } from '../../core/graphql/account.model.js';
import { AuthenticatedGuard, CurrentAccount } from '../../core/graphql/authenticated.guard.js';
import { sessionClient, type GraphqlContext } from '../../core/graphql/graphql-context.js';
import { WebsocketSessions } from '../../core/graphql/websocket/websocket-sessions.service.js';
import { SECOND_FACTOR_ARG, loginArgumentsRefusal, loginRefused, toAccountModel } from '../../core/graphql/session.resolver.js';
import type { Principal } from '../../core/accounts/principal.js';
import { checkDeviceName } from './device-name.js';
import { DeviceSessionModel } from './device-session.model.js';

@Resolver()
export class DeviceSessionResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenService,
    private readonly sockets: WebsocketSessions,
  ) {}

  @Mutation(() => SessionModel, { description: 'login for a device: the session carries the device name, listed in deviceSessions' })
  async mobileLogin(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('deviceName') deviceName: string,
    @Args('code', SECOND_FACTOR_ARG) code: string | null,
    @Context() context: GraphqlContext,
  ): Promise<SessionModel> {
    // Refused before the password is checked: a bad request costs no hashing and no lockout attempt.
    const device = checkDeviceName(deviceName);
    if (!device.ok) throw new GraphQLError(device.reason, { extensions: { code: 'BAD_USER_INPUT' } });
    const refusal = loginArgumentsRefusal(email, password, code);
    if (refusal) throw refusal;
    // The shared auth service applies the same lockout and rate limits as every other login.
    const result = await this.auth.signIn({
      username: email,
      password,
      secondFactor: code,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
    });
    if (!result.ok) throw loginRefused(result.reason);
    const issued = await this.tokens.issue(result.account.id, 'session', device.name, undefined, sessionClient(context));
    return { token: issued.secret, expiresAt: new Date(issued.expiresAt), account: toAccountModel(result.account) };
  }

  @Query(() => [DeviceSessionModel], { description: "The signed-in user's sessions, newest first" })
  @UseGuards(AuthenticatedGuard)
  async deviceSessions(@CurrentAccount() account: Principal, @Context() context: GraphqlContext): Promise<DeviceSessionModel[]> {
    const current = context.token ? (await this.tokens.verifySession(context.token))?.token.id : undefined;
    const sessions = await this.tokens.list(account.id, 'session');
    return sessions
      .filter((session) => session.expiresAt > Date.now())
      .map((session) => ({
        id: String(session.id),
        label: session.label,
        createdAt: new Date(session.createdAt),
        expiresAt: new Date(session.expiresAt),
        lastSeenAt: new Date(Math.max(session.lastUsedAt, session.createdAt)),
        address: session.lastAddress,
        userAgent: session.userAgent,
        current: session.id === current,
      }));
  }

  @Mutation(() => Boolean, { description: 'Signs a device out' })
  @UseGuards(AuthenticatedGuard)
  async revokeDeviceSession(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    const numeric = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
    const own = numeric === null ? undefined : (await this.tokens.list(account.id, 'session')).find((session) => session.id === numeric);
    if (!own || !(await this.tokens.revoke(account.id, own.id)))
      throw new GraphQLError('session not found', { extensions: { code: 'NOT_FOUND' } });
    this.sockets.endSessionById(own.id);
    return true;
  }
}
