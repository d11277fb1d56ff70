import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import { AdminUserCreateInput, AdminUserSort, AdminUserUpdateInput } from '../inputs/admin-user.input.js';
import { AdminImportResultModel } from '../models/admin-import.model.js';
import { AdminUserModel, AdminUserPageModel } from '../models/admin-user.model.js';
import { AdminImportService } from '../services/admin-import.service.js';
import { AdminUsersService } from '../services/admin-users.service.js';

@Resolver()
@UseGuards(AdminGuard)
export class AdminUsersResolver {
  constructor(
    private readonly users: AdminUsersService,
    private readonly imports: AdminImportService,
  ) {}

  @Query(() => AdminUserPageModel, { description: 'A page of the users the admin administers; search is a prefix of the address or name' })
  adminUsers(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('search', { defaultValue: '' }) search: string,
    @Args('sort', { type: () => AdminUserSort, defaultValue: AdminUserSort.ADDRESS }) sort: AdminUserSort,
    @Args('descending', { defaultValue: false }) descending: boolean,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset: number,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ): Promise<AdminUserPageModel> {
    return this.users.page(principal, { search, sort, descending, offset, limit });
  }

  @Mutation(() => AdminUserModel, { description: 'Creates a user (domain admins: plain users of their domains)' })
  adminCreateUser(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('input') input: AdminUserCreateInput,
    @Context() context: GraphqlContext,
  ): Promise<AdminUserModel> {
    return this.users.create(principal, input, context.remoteAddress);
  }

  @Mutation(() => AdminUserModel, { description: 'Changes a user: name, quota, role, disabled, protocols, expiry' })
  adminUpdateUser(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('address') address: string,
    @Args('input') input: AdminUserUpdateInput,
    @Context() context: GraphqlContext,
  ): Promise<AdminUserModel> {
    return this.users.update(principal, address, input, context.remoteAddress);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password; ends every session and app password of the user and lifts its lockouts' })
  adminResetPassword(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('address') address: string,
    @Args('password') password: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.users.resetPassword(principal, address, password, context.remoteAddress);
  }

  @Mutation(() => Boolean, {
    description: 'Lifts the login lockouts of a user (after repeated failed logins) without changing its password',
  })
  adminUnlockUser(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('address') address: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.users.unlock(principal, address, context.remoteAddress);
  }

  @Mutation(() => Boolean, {
    description: "Turns a user's two-factor sign-in off (audited), for a user who lost both the authenticator and the recovery codes",
  })
  adminResetTwoFactor(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('address') address: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.users.resetTwoFactor(principal, address, context.remoteAddress);
  }

  @Mutation(() => AdminImportResultModel, {
    description:
      'Creates users from CSV (`address,password,name,quota_mb`, at most 500 lines per call). Every line is checked ' +
      'first; with a bad line nothing is created unless skipBadRows. dryRun only checks',
  })
  adminImportUsers(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('csv') csv: string,
    @Args('skipBadRows', { defaultValue: false }) skipBadRows: boolean,
    @Args('dryRun', { defaultValue: false }) dryRun: boolean,
    @Context() context: GraphqlContext,
  ): Promise<AdminImportResultModel> {
    return this.imports.importUsers(principal, csv, { dryRun, skipBadRows }, context.remoteAddress);
  }

  @Mutation(() => Boolean, { description: 'Deletes a user with its mailboxes and messages' })
  adminDeleteUser(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('address') address: string,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.users.remove(principal, address, context.remoteAddress);
  }
}
