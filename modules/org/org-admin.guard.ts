import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MAILHIVE_CONFIG } from '../../core/config/config.token.js';
import { forbidden } from '../../core/graphql/admin.guard.js';
import { unauthenticated } from '../../core/graphql/authenticated.guard.js';
import type { GraphqlContext } from '../../core/graphql/graphql-context.js';
import { AddressAllowList } from '../../core/http/address-allow-list.js';
import type { OrgActor } from './services/org-actor.js';
import { OrgActorsService } from './services/org-actors.service.js';

type OrgContext = GraphqlContext & { orgActor?: OrgActor };

/**
 * Lets an organisation admin field run for system and domain admins and for department admins, from an address
 * MAILHIVE_ADMIN_ALLOW admits. Like core's AdminGuard, every refusal is the same FORBIDDEN.
 */
@Injectable()
export class OrgAdminGuard implements CanActivate {
  private readonly allowList: AddressAllowList;

  constructor(
    private readonly actors: OrgActorsService,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
  ) {
    this.allowList = new AddressAllowList(config.adminAllow);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphql = GqlExecutionContext.create(context).getContext<OrgContext>();
    if (!this.allowList.allows(graphql.remoteAddress)) throw forbidden();
    if (!graphql.account) throw unauthenticated();
    graphql.orgActor ??= (await this.actors.actorOf(graphql.account)) ?? undefined;
    if (!graphql.orgActor) throw forbidden();
    return true;
  }
}

/** The organisation admin making the request; use with OrgAdminGuard. */
export const CurrentOrgActor = createParamDecorator((_data: unknown, context: ExecutionContext): OrgActor => {
  const actor = GqlExecutionContext.create(context).getContext<OrgContext>().orgActor;
  if (!actor) throw forbidden();
  return actor;
});
