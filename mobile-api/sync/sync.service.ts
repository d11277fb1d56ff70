import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import type { Principal } from '../../core/accounts/principal.js';
import { decodeState, encodeState, pathDigest, type MailboxPosition, type SyncState } from './sync-state.js';
import { MessageQueryService } from '../../core/mail/message-query.service.js';

export interface Changes {
  created: number[];
  updated: number[];
  removed: number[];
  mailboxesChanged: number[];
  mailboxesRemoved: number[];
  state: string;
}

/**
 * Delta sync: the state is each mailbox's HIGHESTMODSEQ and UIDNEXT; changes are the messages with a higher
 * MODSEQ (created when their UID is at or above the old UIDNEXT, else updated) and the expunge log entries with a
 * higher MODSEQ. The new state is read before the changes, so a change racing with the call is reported again next
 * time rather than lost.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageQueryService,
  ) {}

  async current(account: Principal): Promise<SyncState> {
    const mailboxes = await this.mailboxes.list(account.id);
    return {
      accountId: account.id,
      mailboxes: mailboxes.map((mailbox) => ({
        mailboxId: mailbox.id,
        modseq: mailbox.highestModseq,
        uidNext: mailbox.uidNext,
        pathDigest: pathDigest(mailbox.path),
      })),
    };
  }

  async state(account: Principal): Promise<string> {
    return encodeState(await this.current(account));
  }

  async changes(account: Principal, since: string): Promise<Changes> {
    const before = decodeState(since);
    if (!before || before.accountId !== account.id) {
      throw new GraphQLError('invalid sync state; fetch syncState and reload', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const now = await this.current(account);
    const old = new Map<number, MailboxPosition>(before.mailboxes.map((item) => [item.mailboxId, item]));
    const result: Changes = { created: [], updated: [], removed: [], mailboxesChanged: [], mailboxesRemoved: [], state: encodeState(now) };
    for (const position of now.mailboxes) {
      const previous = old.get(position.mailboxId);
      old.delete(position.mailboxId);
      if (previous && previous.modseq === position.modseq && previous.pathDigest === position.pathDigest) continue;
      result.mailboxesChanged.push(position.mailboxId);
      if (previous && previous.modseq === position.modseq) continue;
      const sinceModseq = previous?.modseq ?? 0;
      for (const row of await this.messages.changedSince(account.id, position.mailboxId, sinceModseq)) {
        (previous && row.uid < previous.uidNext ? result.updated : result.created).push(row.id);
      }
      if (previous) result.removed.push(...(await this.messages.removedSince(account.id, position.mailboxId, sinceModseq)));
    }
    result.mailboxesRemoved.push(...old.keys());
    return result;
  }
}
