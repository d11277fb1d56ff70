import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../../core/graphql/authenticated.guard.js';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import type { Principal } from '../../../core/accounts/principal.js';
import type { Mailbox } from '../../../core/mail/mailbox.js';
import { MailboxModel } from '../models/mailbox.model.js';
import { MailActionsService } from '../services/mail-actions.service.js';
import { badInput, mailCall, notFound } from '../services/mail-api.errors.js';
import { MAX_LEVEL_LENGTH } from '../../../core/mail/mailbox-path.js';
import { checkLength } from '../inputs/argument-limits.js';

function toMailboxModel(mailbox: Mailbox, all: readonly Mailbox[]): MailboxModel {
  const slash = mailbox.path.lastIndexOf('/');
  const parentPath = slash > 0 ? mailbox.path.slice(0, slash) : null;
  const parent = parentPath === null ? null : (all.find((other) => other.path === parentPath) ?? null);
  return {
    id: String(mailbox.id),
    name: mailbox.path.slice(slash + 1),
    path: mailbox.path,
    parentId: parent ? String(parent.id) : null,
    specialUse: mailbox.specialUse,
    unreadCount: mailbox.unseenCount,
    totalCount: mailbox.messageCount,
    size: mailbox.totalSize,
    subscribed: mailbox.subscribed,
  };
}

function checkName(name: string): string {
  checkLength('a mailbox name', name, MAX_LEVEL_LENGTH);
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.includes('/')) throw badInput('a mailbox name must not be empty or contain "/"');
  return trimmed;
}

@Resolver(() => MailboxModel)
@UseGuards(AuthenticatedGuard)
export class MailboxResolver {
  constructor(
    private readonly mailboxService: MailboxService,
    private readonly actions: MailActionsService,
  ) {}

  @Query(() => [MailboxModel], { description: "The signed-in user's mailboxes, INBOX first, children after their parent" })
  async mailboxes(@CurrentAccount() account: Principal): Promise<MailboxModel[]> {
    const all = await this.mailboxService.list(account.id);
    return all.map((mailbox) => toMailboxModel(mailbox, all));
  }

  @Query(() => MailboxModel, { nullable: true })
  async mailbox(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<MailboxModel | null> {
    return (
      (await this.mailboxService.list(account.id).then((all) => all.map((mailbox) => toMailboxModel(mailbox, all)))).find(
        (mailbox) => mailbox.id === id,
      ) ?? null
    );
  }

  @Mutation(() => MailboxModel, { description: 'Creates a mailbox under parentId (top level without it)' })
  async createMailbox(
    @CurrentAccount() account: Principal,
    @Args('name') name: string,
    @Args('parentId', { type: () => ID, nullable: true }) parentId?: string | null,
  ): Promise<MailboxModel> {
    const parent = parentId ? await this.pathOf(account, parentId) : null;
    const created = await mailCall(() => this.mailboxService.create(account.id, parent ? `${parent}/${checkName(name)}` : checkName(name)));
    return this.model(account, created.id);
  }

  @Mutation(() => MailboxModel, { description: 'Renames a mailbox (with its children); parentId moves it under another mailbox' })
  async renameMailbox(
    @CurrentAccount() account: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('name') name: string,
    @Args('parentId', { type: () => ID, nullable: true }) parentId?: string | null,
  ): Promise<MailboxModel> {
    const path = await this.pathOf(account, id);
    const slash = path.lastIndexOf('/');
    const parent = parentId ? await this.pathOf(account, parentId) : slash > 0 ? path.slice(0, slash) : null;
    const target = parent ? `${parent}/${checkName(name)}` : checkName(name);
    const renamed = await mailCall(() => this.mailboxService.rename(account.id, path, target));
    return this.model(account, renamed.id);
  }

  @Mutation(() => Boolean, { description: 'Deletes a mailbox without children, with its messages' })
  async deleteMailbox(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    const path = await this.pathOf(account, id);
    await mailCall(() => this.mailboxService.delete(account.id, path));
    return true;
  }

  @Mutation(() => MailboxModel, { description: 'Marks every message of the mailbox read' })
  async markMailboxRead(@CurrentAccount() account: Principal, @Args('id', { type: () => ID }) id: string): Promise<MailboxModel> {
    return this.model(account, await this.actions.markMailboxRead(account, id));
  }

  private async pathOf(account: Principal, id: string): Promise<string> {
    return this.mailboxService.getById(account.id, await this.actions.ownMailbox(account, id)).then((mailbox) => mailbox.path);
  }

  private async model(account: Principal, id: number): Promise<MailboxModel> {
    const all = await this.mailboxService.list(account.id);
    const mailbox = all.find((item) => item.id === id);
    if (!mailbox) throw notFound('mailbox');
    return toMailboxModel(mailbox, all);
  }
}
