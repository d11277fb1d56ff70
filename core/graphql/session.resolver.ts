import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AccessTokenService } from '../accounts/access-token.service.js';
import { AccountsError } from '../accounts/accounts.errors.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { AuthService, type SignInResult } from '../accounts/auth.service.js';
import { MAX_SECOND_FACTOR_LENGTH } from '../accounts/two-factor.service.js';
import { clearedWebSessionCookies, isTlsRequest, webSessionCookies } from '../http/web-session-cookie.js';
import type { Account } from '../accounts/account.js';
import { AccountModel, SessionModel } from './account.model.js';
import { AllowedBeforeEnrolment, AuthenticatedGuard, CurrentAccount } from './authenticated.guard.js';
import { sessionClient, type GraphqlContext } from './graphql-context.js';
import { WebSessionModel } from './web-session.model.js';
import { WebsocketSessions } from './websocket/websocket-sessions.service.js';

export function toAccountModel(account: Account): AccountModel {
  return {
    id: String(account.id),
    address: account.address,
    displayName: account.displayName,
    role: account.role,
    quotaBytes: account.quotaBytes,
    usedBytes: account.usedBytes,
  };
}

const LOGIN_REFUSALS: Record<Extract<SignInResult, { ok: false }>['reason'], { code: string; message: string }> = {
  invalid: { code: 'INVALID_CREDENTIALS', message: 'invalid email or password' },
  disabled: { code: 'ACCOUNT_DISABLED', message: 'invalid email or password' },
  locked: { code: 'LOCKED', message: 'too many failed logins; try again later' },
  second_factor_required: { code: 'SECOND_FACTOR_REQUIRED', message: 'enter the code of your authenticator app or a recovery code' },
  second_factor_invalid: { code: 'INVALID_SECOND_FACTOR', message: 'the code is not valid' },
};

export function loginRefused(reason: Extract<SignInResult, { ok: false }>['reason']): GraphQLError {
  const { code, message } = LOGIN_REFUSALS[reason];
  return new GraphQLError(message, { extensions: { code } });
}

/** The optional second factor of every sign-in mutation. */
export const SECOND_FACTOR_ARG = {
  type: () => String,
  nullable: true,
  description:
    'With two-factor sign-in on: the code of the authenticator app or an unused recovery code. Without it such an ' +
    'account is refused with SECOND_FACTOR_REQUIRED (the password was right); a wrong one with INVALID_SECOND_FACTOR',
} as const;

/** RFC 5321 §4.5.3.1.3: no address is longer; a longer login name names no account. */
export const MAX_LOGIN_EMAIL_LENGTH = 254;
/** No password this long can be set, so none is hashed: a megabyte password would cost the hash for nothing. */
export const MAX_LOGIN_PASSWORD_LENGTH = 1024;

/** Why the credentials of a login are refused unread, or null; checked before the lockout and the hash. */
export function loginArgumentsRefusal(email: string, password: string, code: string | null = null): GraphQLError | null {
  if (code !== null && code.length > MAX_SECOND_FACTOR_LENGTH)
    return new GraphQLError(`code may have at most ${MAX_SECOND_FACTOR_LENGTH} characters`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (email.length > MAX_LOGIN_EMAIL_LENGTH)
    return new GraphQLError(`email may have at most ${MAX_LOGIN_EMAIL_LENGTH} characters`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (password.length > MAX_LOGIN_PASSWORD_LENGTH)
    return new GraphQLError(`password may have at most ${MAX_LOGIN_PASSWORD_LENGTH} characters`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return null;
}

@Resolver()
export class SessionResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenService,
    private readonly accounts: AccountsService,
    private readonly sockets: WebsocketSessions,
  ) {}

  @Mutation(() => SessionModel, { description: 'Signs in with address and password; returns a bearer token' })
  async login(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('code', SECOND_FACTOR_ARG) code: string | null,
    @Context() context: GraphqlContext,
  ): Promise<SessionModel> {
    const refusal = loginArgumentsRefusal(email, password, code);
    if (refusal) throw refusal;
    const result = await this.auth.signIn({
      username: email,
      password,
      secondFactor: code,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
    });
    if (!result.ok) throw loginRefused(result.reason);
    const issued = await this.tokens.issue(result.account.id, 'session', '', undefined, sessionClient(context));
    return { token: issued.secret, expiresAt: new Date(issued.expiresAt), account: toAccountModel(result.account) };
  }

  @Mutation(() => WebSessionModel, {
    description: 'Signs the web client in: sets the HttpOnly session cookie and the csrf cookie; apps use login',
  })
  async webLogin(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('code', SECOND_FACTOR_ARG) code: string | null,
    @Context() context: GraphqlContext,
  ): Promise<WebSessionModel> {
    // Only an HTTP response can carry Set-Cookie; over a websocket there is nowhere to put the session.
    const response = context.req?.res;
    if (!response) throw new GraphQLError('webLogin needs an HTTP request', { extensions: { code: 'BAD_REQUEST' } });
    const refusal = loginArgumentsRefusal(email, password, code);
    if (refusal) throw refusal;
    const result = await this.auth.signIn({
      username: email,
      password,
      secondFactor: code,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
      access: 'webmail',
    });
    if (!result.ok) throw loginRefused(result.reason);
    const issued = await this.tokens.issue(result.account.id, 'session', '', undefined, sessionClient(context));
    const cookies = webSessionCookies(issued.secret, issued.expiresAt, isTlsRequest(context.req));
    response.append('Set-Cookie', cookies.setCookie);
    return { csrfToken: cookies.csrfToken, expiresAt: new Date(issued.expiresAt), account: toAccountModel(result.account) };
  }

  @Mutation(() => Boolean, {
    description:
      'Ends the session of the bearer token or of the web session cookie, and clears the cookies; ' +
      'true also without a valid session, so a session already ended elsewhere still leaves the browser clean',
  })
  async logout(@Context() context: GraphqlContext): Promise<boolean> {
    // No guard: a browser whose session was revoked elsewhere must still be able to drop its cookies. The context
    // holds a token only when it was verified, so nothing but a valid session of the caller is ever revoked.
    if (context.token) {
      await this.tokens.revokeSecret(context.token);
      this.sockets.endSession(context.token);
    }
    context.req?.res?.append('Set-Cookie', clearedWebSessionCookies(isTlsRequest(context.req)));
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Changes the signed-in user's password after checking the current one. Every other session ends; " +
      'with revokeAppPasswords, every app password too',
  })
  @UseGuards(AuthenticatedGuard)
  async changePassword(
    @CurrentAccount() account: Account,
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
    @Args('revokeAppPasswords', { defaultValue: false }) revokeAppPasswords: boolean,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    const refusal = loginArgumentsRefusal(account.address, currentPassword) ?? loginArgumentsRefusal(account.address, newPassword);
    if (refusal) throw refusal;
    // The current password goes through the throttled login path, so a stolen session cannot guess it freely.
    const result = await this.auth.authenticate({
      username: account.address,
      password: currentPassword,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
      access: 'any',
    });
    if (!result.ok) throw loginRefused(result.reason);
    if (result.via !== 'password') throw loginRefused('invalid');
    try {
      await this.accounts.changeOwnPassword(account.id, newPassword, { keepSessionSecret: context.token ?? null, revokeAppPasswords });
    } catch (error) {
      if (error instanceof AccountsError && error.code === 'INVALID_PASSWORD') {
        throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      throw error;
    }
    this.auth.forgetVerified(account.id);
    return true;
  }

  @Query(() => AccountModel, { description: 'The signed-in account' })
  @UseGuards(AuthenticatedGuard)
  @AllowedBeforeEnrolment()
  me(@CurrentAccount() account: Account): AccountModel {
    return toAccountModel(account);
  }
}
