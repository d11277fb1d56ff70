import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../core/graphql/authenticated.guard.js';
import type { Principal } from '../../core/accounts/principal.js';
import { StateScalar, SyncChangesModel } from './sync.model.js';
import { SyncService } from './sync.service.js';

@Resolver()
@UseGuards(AuthenticatedGuard)
export class SyncResolver {
  constructor(private readonly sync: SyncService) {}

  @Query(() => StateScalar, { description: 'The current sync state; take it before a full load' })
  syncState(@CurrentAccount() account: Principal): Promise<string> {
    return this.sync.state(account);
  }

  @Query(() => SyncChangesModel, { description: 'Delta sync: what changed since `since`, and the new state' })
  async changes(
    @CurrentAccount() account: Principal,
    @Args('since', { type: () => StateScalar }) since: string,
  ): Promise<SyncChangesModel> {
    const changes = await this.sync.changes(account, since);
    const ids = (list: number[]) => list.map(String);
    return {
      created: ids(changes.created),
      updated: ids(changes.updated),
      removed: ids(changes.removed),
      mailboxesChanged: ids(changes.mailboxesChanged),
      mailboxesRemoved: ids(changes.mailboxesRemoved),
      state: changes.state,
    };
  }
}
