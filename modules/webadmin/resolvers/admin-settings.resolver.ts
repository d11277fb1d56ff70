import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { AdminSettingsInput, AdminSettingsModel } from '../models/admin-settings.model.js';
import { AdminSettingsService } from '../services/admin-settings.service.js';

@Resolver()
@UseGuards(AdminGuard)
export class AdminSettingsResolver {
  constructor(private readonly settings: AdminSettingsService) {}

  @Query(() => AdminSettingsModel, { description: 'Run-time settings and the environment (system admins)' })
  adminSettings(@CurrentAdmin() principal: AdminPrincipal): AdminSettingsModel {
    return this.settings.read(principal);
  }

  @Mutation(() => AdminSettingsModel, { description: 'Changes run-time settings; every node applies them within 30 s, this one at once' })
  adminUpdateSettings(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('input') input: AdminSettingsInput,
    @Context() context: GraphqlContext,
  ): Promise<AdminSettingsModel> {
    return this.settings.update(principal, input, context.remoteAddress);
  }
}
