import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AuthenticatedGuard, CurrentAccount } from '../../core/graphql/authenticated.guard.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import type { Principal } from '../../core/accounts/principal.js';
import { COMPACT_FLAGS, CompactMessageModel, CompactMessagePageModel } from './compact-message.model.js';
import { MessageQueryService } from '../../core/mail/message-query.service.js';
import type { CompactMessage } from '../../core/mail/message-summary.js';

const MAX_PAGE = 200;
const MAX_IDS = 500;

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
const notFound = () => new GraphQLError('mailbox not found', { extensions: { code: 'NOT_FOUND' } });
const numericId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

function toCompact(row: CompactMessage): CompactMessageModel {
  const flags =
    (row.seen ? COMPACT_FLAGS.seen : 0) |
    (row.flagged ? COMPACT_FLAGS.flagged : 0) |
    (row.answered ? COMPACT_FLAGS.answered : 0) |
    (row.draft ? COMPACT_FLAGS.draft : 0) |
    (row.hasAttachments ? COMPACT_FLAGS.attachment : 0);
  return {
    id: String(row.id),
    mailboxId: String(row.mailboxId),
    subject: row.subject,
    from: row.fromAddress,
    date: row.sentDate,
    flags,
    preview: row.preview.slice(0, 100),
    size: row.size,
  };
}

@Resolver()
@UseGuards(AuthenticatedGuard)
export class CompactResolver {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageQueryService,
  ) {}

  @Query(() => CompactMessagePageModel, { description: 'A page of a mailbox, newest arrivals first, in compact form' })
  async compactMessages(
    @CurrentAccount() account: Principal,
    @Args('mailboxId', { type: () => ID }) mailboxId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<CompactMessagePageModel> {
    if (first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`);
    const before = after ? numericId(after) : null;
    if (after && before === null) throw badInput('invalid cursor');
    const id = numericId(mailboxId);
    if (id === null) throw notFound();
    try {
      await this.mailboxes.getById(account.id, id);
    } catch (error) {
      if (error instanceof MailError) throw notFound();
      throw error;
    }
    const rows = await this.messages.compactPage(account.id, id, before, first + 1);
    const items = rows.slice(0, first);
    return { items: items.map(toCompact), next: rows.length > first ? String(items[items.length - 1].uid) : null };
  }

  @Query(() => [CompactMessageModel], {
    description: "The caller's messages among these ids (for ids from changes); unknown ids are left out",
  })
  async compactMessagesByIds(
    @CurrentAccount() account: Principal,
    @Args('ids', { type: () => [ID] }) ids: string[],
  ): Promise<CompactMessageModel[]> {
    if (ids.length > MAX_IDS) throw badInput(`at most ${MAX_IDS} ids`);
    const numeric = ids.map(numericId).filter((id): id is number => id !== null);
    return (await this.messages.compactByIds(account.id, numeric)).map(toCompact);
  }
}
