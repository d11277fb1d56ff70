import { Inject, Injectable } from '@nestjs/common';
import { MailboxService } from '../../../core/mail/mailbox.service.js';
import type { Principal } from '../../../core/accounts/principal.js';
import { MessageSort, type MessageConnectionModel, type MessageModel } from '../models/message.model.js';
import { MessageQueryService } from '../../../core/mail/message-query.service.js';
import type { MessageSortKey } from '../../../core/mail/message-summary.js';
import { parseSearchQuery, type SearchTerm } from '../search/search-query.parser.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';
import { badInput, mailCall, notFound, parseId } from './mail-api.errors.js';
import { baseSubject, threadRoot, toMessageModel } from './message-presenter.js';
import { ARGUMENT_LIMITS, checkLength } from '../inputs/argument-limits.js';

export const DEFAULT_PAGE_SIZE = 50;
const THREAD_LIMIT = 200;

/** What totalCount needs, computed only when the client asks for it. */
export interface CountRequest {
  accountId: number;
  mailboxId: number;
  terms: SearchTerm[];
  /** The mailbox counter, exact when there is no search. */
  messageCount: number;
}

export type MessageConnection = MessageConnectionModel & { count: CountRequest };

const SORTS: Record<MessageSort, { key: MessageSortKey; descending: boolean }> = {
  [MessageSort.DATE_DESC]: { key: 'date', descending: true },
  [MessageSort.DATE_ASC]: { key: 'date', descending: false },
  [MessageSort.ARRIVAL_DESC]: { key: 'arrival', descending: true },
  [MessageSort.ARRIVAL_ASC]: { key: 'arrival', descending: false },
};

function encodeCursor(sort: MessageSort, value: number, id: number): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

function decodeCursor(sort: MessageSort, cursor: string): { value: number; id: number } {
  try {
    const [cursorSort, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (cursorSort === sort && Number.isSafeInteger(value) && Number.isSafeInteger(id)) return { value: value as number, id: id as number };
  } catch {
    // fall through to the refusal below
  }
  throw badInput('invalid cursor (it belongs to another sort order or was altered)');
}

/** Message lists: one keyset page per call, search, and conversations. */
@Injectable()
export class MessageListService {
  constructor(
    private readonly mailboxes: MailboxService,
    private readonly query: MessageQueryService,
    @Inject(WEBMAIL_OPTIONS) private readonly options: WebmailOptions,
  ) {}

  async page(
    account: Principal,
    mailboxId: string,
    args: { first?: number | null; after?: string | null; query?: string | null; sort?: MessageSort | null },
  ): Promise<MessageConnection> {
    const id = parseId(mailboxId);
    if (id === null) throw notFound('mailbox');
    const mailbox = await mailCall(() => this.mailboxes.getById(account.id, id));
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 0 || first > this.options.maxPageSize) {
      throw badInput(`first must be between 0 and ${this.options.maxPageSize}`);
    }
    const parsed = parseSearchQuery(args.query ?? '');
    if (!parsed.ok) throw badInput(parsed.error);
    const sort = args.sort ?? MessageSort.DATE_DESC;
    const { key, descending } = SORTS[sort];
    checkLength('after', args.after, ARGUMENT_LIMITS.cursorChars);
    const after = args.after ? decodeCursor(sort, args.after) : null;
    const rows =
      first === 0
        ? []
        : await this.query.page({
            accountId: account.id,
            mailboxId: mailbox.id,
            terms: parsed.terms,
            sort: key,
            descending,
            after,
            limit: first + 1,
          });
    const nodes = rows.slice(0, first).map(toMessageModel);
    const last = nodes.length > 0 ? nodes[nodes.length - 1].row : null;
    return {
      nodes,
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: last ? encodeCursor(sort, key === 'date' ? last.sentDate : last.uid, last.id) : null,
      },
      totalCount: 0,
      count: { accountId: account.id, mailboxId: mailbox.id, terms: parsed.terms, messageCount: mailbox.messageCount },
    };
  }

  async totalCount(count: CountRequest): Promise<number> {
    return count.terms.length === 0 ? count.messageCount : this.query.count(count.accountId, count.mailboxId, count.terms);
  }

  async message(account: Principal, messageId: string): Promise<MessageModel | null> {
    const id = parseId(messageId);
    if (id === null) return null;
    const [row] = await this.query.byIds(account.id, [id]);
    return row ? toMessageModel(row) : null;
  }

  /**
   * The conversation of a message, oldest first: messages of the account sharing its thread root, found among
   * those it references and those with the same base subject.
   */
  async thread(message: MessageModel): Promise<MessageModel[]> {
    const root = threadRoot(message.row);
    const subject = baseSubject(message.subject);
    const subjects = subject === '' ? [] : [subject, ...['re', 'fwd', 'fw', 'aw', 'wg', 'sv'].map((prefix) => `${prefix}: ${subject}`)];
    const ids = [...new Set([root, ...message.references, ...(message.inReplyTo ? [message.inReplyTo] : [])])];
    const candidates = await this.query.threadCandidates(message.row.accountId, ids, subjects, THREAD_LIMIT);
    const members = candidates.filter((row) => threadRoot(row) === root || row.messageIdHeader === root);
    if (!members.some((row) => row.id === message.row.id)) members.push(message.row);
    return members.sort((a, b) => a.sentDate - b.sentDate || a.id - b.id).map(toMessageModel);
  }
}
