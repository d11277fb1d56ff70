import { Injectable } from '@nestjs/common';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import { MessageService } from '../../../core/mail/message.service.js';
import type { FlagOperation } from '../../../core/mail/message-flags.js';
import type { Principal } from '../../../core/accounts/principal.js';
import type { SetFlagsInput } from '../inputs/compose.input.js';
import { MessageQueryService } from '../../../core/mail/message-query.service.js';
import type { MessageDetail } from '../../../core/mail/message-summary.js';
import { badInput, mailCall, notFound, parseId } from './mail-api.errors.js';

export const MAX_IDS_PER_CALL = 1000;
/** RFC 9051 sets no length for a keyword; 100 is room for any a person or client uses. */
export const MAX_KEYWORD_LENGTH = 100;

/** Flag, move and delete messages by id; every id must be the caller's own or nothing happens. */
@Injectable()
export class MailActionsService {
  constructor(
    private readonly messages: MessageService,
    private readonly mailboxes: MailboxService,
    private readonly query: MessageQueryService,
  ) {}

  /** The caller's rows for these ids; NOT_FOUND if any is unknown or someone else's (the two look the same). */
  async ownRows(account: Principal, ids: readonly string[]): Promise<MessageDetail[]> {
    if (ids.length > MAX_IDS_PER_CALL) throw badInput(`at most ${MAX_IDS_PER_CALL} ids per call`);
    const numeric = [...new Set(ids)].map(parseId);
    if (numeric.some((id) => id === null)) throw notFound('message');
    const rows = await this.query.byIds(account.id, numeric as number[]);
    if (rows.length !== numeric.length) throw notFound('message');
    return rows;
  }

  async setFlags(account: Principal, input: SetFlagsInput): Promise<MessageDetail[]> {
    const rows = await this.ownRows(account, input.ids);
    const add: string[] = [];
    const remove: string[] = [];
    const system: [boolean | null | undefined, string][] = [
      [input.seen, '\\Seen'],
      [input.flagged, '\\Flagged'],
      [input.answered, '\\Answered'],
      [input.draft, '\\Draft'],
    ];
    for (const [value, flag] of system) {
      if (value === true) add.push(flag);
      if (value === false) remove.push(flag);
    }
    for (const keyword of input.addKeywords ?? []) add.push(checkKeyword(keyword));
    for (const keyword of input.removeKeywords ?? []) remove.push(checkKeyword(keyword));
    for (const [mailboxId, group] of groupByMailbox(rows)) {
      const uids = group.map((row) => row.uid);
      for (const [operation, flags] of [
        ['add', add],
        ['remove', remove],
      ] as [FlagOperation, string[]][]) {
        if (flags.length > 0) await mailCall(() => this.messages.setFlags(account.id, mailboxId, uids, operation, flags));
      }
    }
    return this.query.byIds(
      account.id,
      rows.map((row) => row.id),
    );
  }

  /** Moves the messages; returns them at their new place (a move gives new ids, as IMAP MOVE gives new UIDs). */
  async move(account: Principal, ids: readonly string[], mailboxId: string): Promise<MessageDetail[]> {
    const target = await this.ownMailbox(account, mailboxId);
    const rows = await this.ownRows(account, ids);
    const moved: number[] = [];
    for (const [sourceId, group] of groupByMailbox(rows)) {
      if (sourceId === target) {
        moved.push(...group.map((row) => row.id));
        continue;
      }
      const result = await mailCall(() =>
        this.messages.move(
          account.id,
          sourceId,
          group.map((row) => row.uid),
          target,
        ),
      );
      const copies = await this.messages.get(
        target,
        result.uids.map((pair) => pair.destination),
      );
      moved.push(...copies.map((copy) => copy.id));
    }
    return this.query.byIds(account.id, moved);
  }

  /** Moves to Trash; messages already in Trash (or when there is no Trash) are removed for good. */
  async delete(account: Principal, ids: readonly string[]): Promise<number> {
    const rows = await this.ownRows(account, ids);
    const trash = await this.mailboxes.getBySpecialUse(account.id, '\\Trash');
    for (const [mailboxId, group] of groupByMailbox(rows)) {
      const uids = group.map((row) => row.uid);
      if (!trash || mailboxId === trash.id) {
        await mailCall(() => this.messages.expunge(account.id, mailboxId, { uids, ignoreDeletedFlag: true }));
      } else {
        await mailCall(() => this.messages.move(account.id, mailboxId, uids, trash.id));
      }
    }
    return rows.length;
  }

  async markMailboxRead(account: Principal, mailboxId: string): Promise<number> {
    const id = await this.ownMailbox(account, mailboxId);
    const uids = await this.query.unseenUids(account.id, id);
    if (uids.length === 0) return id;
    await mailCall(() => this.messages.setFlags(account.id, id, uids, 'add', ['\\Seen']));
    return id;
  }

  async ownMailbox(account: Principal, mailboxId: string): Promise<number> {
    const id = parseId(mailboxId);
    if (id === null) throw notFound('mailbox');
    const mailbox = await mailCall(() => this.mailboxes.getById(account.id, id));
    return mailbox.id;
  }
}

function groupByMailbox(rows: readonly MessageDetail[]): Map<number, MessageDetail[]> {
  const groups = new Map<number, MessageDetail[]>();
  for (const row of rows) groups.set(row.mailboxId, [...(groups.get(row.mailboxId) ?? []), row]);
  return groups;
}

/** RFC 9051 §9 flag-keyword: an atom without "\\", so a keyword can never pose as a system flag. */
function checkKeyword(keyword: string): string {
  // Checked first so that a refusal never echoes a long client string back.
  if (keyword.length > MAX_KEYWORD_LENGTH) throw badInput(`a keyword may have at most ${MAX_KEYWORD_LENGTH} characters`);
  if (!/^[!#$&'+\-.0-9:;<=>?@A-Z^_`a-z|~]+$/.test(keyword) || keyword.startsWith('\\')) {
    throw badInput(`"${keyword}" is not a valid keyword`);
  }
  return keyword;
}
