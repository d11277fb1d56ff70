import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminPrincipal } from '../../../core/accounts/admin-authorization.js';
import { AdminGuard, CurrentAdmin } from '../../../core/graphql/admin.guard.js';
import type { GraphqlContext } from '../../../core/graphql/graphql-context.js';
import {
  AdminQueuedMessageDetailModel,
  AdminQueuedMessageModel,
  AdminQueueFilterInput,
  AdminTraceEventModel,
  AdminTraceFilterInput,
} from '../models/admin-queue.model.js';
import { AdminQueueService } from '../services/admin-queue.service.js';

@Resolver()
@UseGuards(AdminGuard)
export class AdminQueueResolver {
  constructor(private readonly queue: AdminQueueService) {}

  @Query(() => [AdminQueuedMessageModel], { description: 'The outbound queue, oldest first (system admins)' })
  adminQueue(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('filter', { type: () => AdminQueueFilterInput, nullable: true }) filter: AdminQueueFilterInput | null | undefined,
    @Args('limit', { type: () => Int, defaultValue: 100 }) limit: number,
  ): Promise<AdminQueuedMessageModel[]> {
    return this.queue.list(principal, filter ?? {}, limit);
  }

  @Query(() => AdminQueuedMessageDetailModel, { description: 'One queued message with its headers (system admins)' })
  adminQueuedMessage(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('id', { type: () => Int }) id: number,
  ): Promise<AdminQueuedMessageDetailModel> {
    return this.queue.detail(principal, id);
  }

  @Mutation(() => Boolean, { description: 'Tries a queued message again now' })
  adminRetryQueued(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('id', { type: () => Int }) id: number,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.queue.retry(principal, id, context.remoteAddress);
  }

  @Mutation(() => Boolean, { description: 'Drops a queued message without telling the sender' })
  adminDeleteQueued(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('id', { type: () => Int }) id: number,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.queue.delete(principal, id, context.remoteAddress);
  }

  @Mutation(() => Boolean, { description: 'Gives up on a queued message: the sender gets a failure report' })
  adminBounceQueued(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('id', { type: () => Int }) id: number,
    @Context() context: GraphqlContext,
  ): Promise<boolean> {
    return this.queue.bounce(principal, id, context.remoteAddress);
  }

  @Query(() => [AdminTraceEventModel], { description: 'Where is my mail: the delivery log (30 days), newest first (system admins)' })
  adminMessageTrace(
    @CurrentAdmin() principal: AdminPrincipal,
    @Args('filter', { type: () => AdminTraceFilterInput }) filter: AdminTraceFilterInput,
    @Args('limit', { type: () => Int, defaultValue: 100 }) limit: number,
  ): Promise<AdminTraceEventModel[]> {
    return this.queue.trace(principal, filter, limit);
  }
}
