import { Inject, UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { ADMIN_SESSION_LABEL, AccessTokenService } from '../../../core/accounts/access-token.service.js';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AccountsService } from '../../../core/accounts/accounts.service.js';
import { AuthService } from '../../../core/accounts/auth.service.js';
import type { MailhiveConfig } from '../../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../../core/config/config.token.js';
import { AdminGuard, CurrentAdmin, forbidden } from '../../../core/graphql/admin.guard.js';
import { sessionClient, type GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { SECOND_FACTOR_ARG, loginArgumentsRefusal, loginRefused } from '../../../core/graphql/session.resolver.js';
import { WebsocketSessions } from '../../../core/graphql/websocket/websocket-sessions.service.js';
import { AddressAllowList } from '../../../core/http/address-allow-list.js';
import { ADMIN_COOKIES, clearedWebSessionCookies, isTlsRequest, webSessionCookies } from '../../../core/http/web-session-cookie.js';
import { AdminIdentityModel, AdminSessionModel, AdminWebSessionModel } from '../models/admin-session.model.js';
import { AdminAuditService } from '../services/admin-audit.service.js';

@Resolver()
export class AdminSessionResolver {
  private readonly allowList: AddressAllowList;

  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenService,
    private readonly accounts: AccountsService,
    private readonly sockets: WebsocketSessions,
    private readonly audit: AdminAuditService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
  ) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  @Mutation(() => AdminSessionModel, {
    description:
      'Signs a system or domain admin in for scripts; returns a bearer token. The same lockout as every login; ' +
      'an account without an admin role is refused like a disabled one. The token ends after the admin idle timeout',
  })
  async adminLogin(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('code', SECOND_FACTOR_ARG) code: string | null,
    @Context() context: GraphqlContext,
  ): Promise<AdminSessionModel> {
    const signedIn = await this.signIn(email, password, code, context);
    return { token: signedIn.secret, expiresAt: new Date(signedIn.expiresAt), admin: signedIn.admin };
  }

  @Mutation(() => AdminWebSessionModel, {
    description:
      'Signs WebAdmin in: sets the HttpOnly cookie mailhive_admin_session and the readable mailhive_admin_csrf; ' +
      'requests it authenticates send `X-Admin-CSRF-Token: <csrfToken>`',
  })
  async adminWebLogin(
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('code', SECOND_FACTOR_ARG) code: string | null,
    @Context() context: GraphqlContext,
  ): Promise<AdminWebSessionModel> {
    const response = context.req?.res;
    if (!response) throw new GraphQLError('adminWebLogin needs an HTTP request', { extensions: { code: 'BAD_REQUEST' } });
    const signedIn = await this.signIn(email, password, code, context);
    const cookies = webSessionCookies(signedIn.secret, signedIn.expiresAt, isTlsRequest(context.req), Date.now(), ADMIN_COOKIES);
    response.append('Set-Cookie', cookies.setCookie);
    return { csrfToken: cookies.csrfToken, expiresAt: new Date(signedIn.expiresAt), admin: signedIn.admin };
  }

  @Mutation(() => Boolean, { description: 'Ends this WebAdmin session and clears its cookies; true also when it had ended already' })
  async adminLogout(@Context() context: GraphqlContext): Promise<boolean> {
    if (context.token) {
      await this.tokens.revokeSecret(context.token);
      this.sockets.endSession(context.token);
    }
    context.req?.res?.append('Set-Cookie', clearedWebSessionCookies(isTlsRequest(context.req), ADMIN_COOKIES));
    return true;
  }

  @Mutation(() => Boolean, { description: 'Ends every session of the signed-in admin (WebAdmin, webmail and apps), this one included' })
  @UseGuards(AdminGuard)
  async adminSignOutEverywhere(@CurrentAdmin() principal: AdminPrincipal, @Context() context: GraphqlContext): Promise<boolean> {
    const ended = await this.tokens.revokeSessions(principal.accountId);
    if (context.token) this.sockets.endSession(context.token);
    await this.audit.record(principal, context.remoteAddress, 'session.revoke_all', principal.address, { sessions: ended });
    context.req?.res?.append('Set-Cookie', clearedWebSessionCookies(isTlsRequest(context.req), ADMIN_COOKIES));
    return true;
  }

  @Query(() => AdminIdentityModel, { description: 'The signed-in administrator and its scope' })
  @UseGuards(AdminGuard)
  async adminMe(@CurrentAdmin() principal: AdminPrincipal): Promise<AdminIdentityModel> {
    return this.identity(principal);
  }

  private async signIn(
    email: string,
    password: string,
    code: string | null,
    context: GraphqlContext,
  ): Promise<{ secret: string; expiresAt: number; admin: AdminIdentityModel }> {
    if (!this.allowList.allows(context.remoteAddress)) throw forbidden();
    const refusal = loginArgumentsRefusal(email, password, code);
    if (refusal) throw refusal;
    const result = await this.auth.signIn({
      username: email,
      password,
      secondFactor: code,
      remoteAddress: context.remoteAddress,
      protocol: 'graphql',
      access: 'admin',
    });
    if (!result.ok) throw loginRefused(result.reason);
    const principal = await this.accounts.adminPrincipal(result.account);
    if (!principal) throw loginRefused('disabled');
    const issued = await this.tokens.issue(result.account.id, 'session', ADMIN_SESSION_LABEL, undefined, sessionClient(context));
    return { secret: issued.secret, expiresAt: issued.expiresAt, admin: await this.identity(principal) };
  }

  private async identity(principal: AdminPrincipal): Promise<AdminIdentityModel> {
    const domains = principal.role === 'system_admin' ? [] : await this.accounts.adminDomainNames(principal.accountId);
    return { address: principal.address, role: principal.role, domains };
  }
}
