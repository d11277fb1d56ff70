import { Inject, UseGuards } from '@nestjs/common';
import { Resolver, Subscription } from '@nestjs/graphql';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import type { Principal } from '../accounts/principal.js';
import { asyncQueue } from './async-queue.js';
import { AuthenticatedGuard, CurrentAccount } from './authenticated.guard.js';
import { MailEventModel, MailEventType } from './mail-event.model.js';

@Resolver()
export class MailEventsResolver {
  constructor(@Inject(EVENT_BUS) private readonly events: EventBus) {}

  @Subscription(() => MailEventModel, {
    description: "Changes to the signed-in user's mail, fed by the same core events as IMAP IDLE",
    resolve: (event: MailEventModel) => event,
  })
  @UseGuards(AuthenticatedGuard)
  mailEvents(@CurrentAccount() account: Principal): AsyncIterableIterator<MailEventModel> {
    const own = (event: { accountId: number }) => event.accountId === account.id;
    const unsubscribers: (() => void)[] = [];
    const queue = asyncQueue<MailEventModel>(() => unsubscribers.forEach((unsubscribe) => unsubscribe()));
    const push = (type: MailEventType, mailboxId: number, messageId: number | null) =>
      queue.push({ type, mailboxId: String(mailboxId), messageId: messageId === null ? null : String(messageId) });
    unsubscribers.push(
      this.events.on('message.added', (event) => {
        if (own(event)) push(MailEventType.MESSAGE_ADDED, event.mailboxId, event.messageId);
      }),
      this.events.on('flags.changed', (event) => {
        if (own(event)) for (const change of event.changes) push(MailEventType.FLAGS_CHANGED, event.mailboxId, change.messageId);
      }),
      this.events.on('message.expunged', (event) => {
        if (own(event)) for (const messageId of event.messageIds) push(MailEventType.MESSAGE_REMOVED, event.mailboxId, messageId);
      }),
      this.events.on('mailbox.changed', (event) => {
        if (own(event)) push(MailEventType.MAILBOX_CHANGED, event.mailboxId, null);
      }),
    );
    return queue.iterator;
  }
}
