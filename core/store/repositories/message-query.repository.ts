import { Injectable } from '@nestjs/common';
import { Brackets, In, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import type { CompactMessage, MessageFilterTerm, MessagePageRequest, MessageDetail } from '../../mail/message-summary.js';
import { MessageEntity } from '../entities/message.entity.js';
import { StoreService } from '../store.service.js';
import { LIKE_ESCAPE, likeContains } from './like-pattern.js';
import { MESSAGE_DETAIL_FIELDS } from './message-columns.js';

const COMPACT_COLUMNS = [
  'id',
  'mailboxId',
  'uid',
  'subject',
  'fromAddress',
  'sentDate',
  'seen',
  'flagged',
  'answered',
  'draft',
  'hasAttachments',
  'preview',
  'size',
].map((name) => `m.${name}`);

/**
 * Reads of the GraphQL mail and mobile APIs. Pages are keyset ranges over the (mailboxId, sentDate, id) and (mailboxId, uid)
 * indexes, so the cost of a page does not grow with the mailbox or with how far the client has paged.
 */
@Injectable()
export class MessageQueryRepository {
  constructor(private readonly store: StoreService) {}

  async page(request: MessagePageRequest): Promise<MessageDetail[]> {
    const column = request.sort === 'date' ? 'm.sentDate' : 'm.uid';
    const direction = request.descending ? 'DESC' : 'ASC';
    const query = this.filtered(request.accountId, request.mailboxId, request.terms)
      .select(MESSAGE_DETAIL_FIELDS.map((name) => `m.${name}`))
      .orderBy(column, direction)
      .addOrderBy('m.id', direction)
      .limit(request.limit);
    if (request.after) {
      const { value, id } = request.after;
      const cmp = request.descending ? '<' : '>';
      // The first bound alone lets the database start the index range at the cursor.
      query.andWhere(`${column} ${cmp}= :cursorValue`, { cursorValue: value }).andWhere(
        new Brackets((inner) => {
          inner.where(`${column} ${cmp} :cursorValue`, { cursorValue: value }).orWhere(`m.id ${cmp} :cursorId`, { cursorId: id });
        }),
      );
    }
    return query.getMany();
  }

  async count(accountId: number, mailboxId: number, terms: readonly MessageFilterTerm[]): Promise<number> {
    return this.filtered(accountId, mailboxId, terms).getCount();
  }

  /** Rows by id, only those of the account, in the order asked. */
  async byIds(accountId: number, ids: readonly number[]): Promise<MessageDetail[]> {
    if (ids.length === 0) return [];
    const rows = await this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select(MESSAGE_DETAIL_FIELDS.map((name) => `m.${name}`))
      .where({ accountId, id: In([...ids]) })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** UIDs of the unread messages of a mailbox (for "mark all read"). */
  async unseenUids(accountId: number, mailboxId: number): Promise<number[]> {
    const rows = await this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select('m.uid', 'uid')
      .where('m.mailboxId = :mailboxId AND m.accountId = :accountId AND m.seen = :seen', { mailboxId, accountId, seen: 0 })
      .getRawMany<{ uid: number | string }>();
    return rows.map((row) => Number(row.uid));
  }

  /**
   * Candidate members of a conversation: messages of the account whose Message-ID is among `messageIds`, or whose
   * subject (lower-cased) is one of `subjects`. The caller checks the references of each candidate.
   */
  async threadCandidates(
    accountId: number,
    messageIds: readonly string[],
    subjects: readonly string[],
    limit: number,
  ): Promise<MessageDetail[]> {
    const query = this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select(MESSAGE_DETAIL_FIELDS.map((name) => `m.${name}`))
      .where('m.accountId = :accountId', { accountId })
      .andWhere(
        new Brackets((inner) => {
          inner.where('1 = 0');
          if (messageIds.length > 0) inner.orWhere('m.messageIdHeader IN (:...messageIds)', { messageIds: [...messageIds] });
          if (subjects.length > 0) inner.orWhere('LOWER(m.subject) IN (:...subjects)', { subjects: [...subjects] });
        }),
      )
      .orderBy('m.sentDate', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit);
    return query.getMany();
  }

  /** Compact rows newest first by UID over the (mailboxId, uid) index, below `beforeUid` when given. */
  async compactPage(accountId: number, mailboxId: number, beforeUid: number | null, limit: number): Promise<CompactMessage[]> {
    const query = this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select(COMPACT_COLUMNS)
      .where('m.mailboxId = :mailboxId AND m.accountId = :accountId', { mailboxId, accountId })
      .orderBy('m.uid', 'DESC')
      .limit(limit);
    if (beforeUid !== null) query.andWhere('m.uid < :beforeUid', { beforeUid });
    return query.getMany();
  }

  /** Compact rows by id, only those of the account, by id. */
  async compactByIds(accountId: number, ids: readonly number[]): Promise<CompactMessage[]> {
    if (ids.length === 0) return [];
    return this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select(COMPACT_COLUMNS)
      .where({ accountId, id: In([...ids]) })
      .orderBy('m.id', 'ASC')
      .getMany();
  }

  private filtered(accountId: number, mailboxId: number, terms: readonly MessageFilterTerm[]): SelectQueryBuilder<MessageEntity> {
    const query = this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.mailboxId = :mailboxId', { mailboxId })
      .andWhere('m.accountId = :accountId', { accountId });
    terms.forEach((term, index) => this.applyTerm(query, term, index));
    return query;
  }

  private applyTerm(query: WhereExpressionBuilder, term: MessageFilterTerm, index: number): void {
    const p = `t${index}`;
    const not = term.negated ? 'NOT ' : '';
    switch (term.kind) {
      case 'flag':
        query.andWhere(`${not}(m.${term.flag} = :${p})`, { [p]: term.value ? 1 : 0 });
        return;
      case 'attachment':
        query.andWhere(`${not}(m.hasAttachments = :${p})`, { [p]: 1 });
        return;
      case 'date':
        // after:D is on or after D's midnight (UTC); before:D strictly before it.
        query.andWhere(`${not}(m.sentDate ${term.op === 'before' ? '<' : '>='} :${p})`, { [p]: term.ms });
        return;
      case 'text':
        if (term.field === 'to' || term.field === 'cc') {
          query.andWhere(`${not}(${this.headerLineContains(term.field, p)})`, {
            [`${p}n`]: '\n',
            [`${p}h`]: `\n${term.field}: `,
            [p]: term.value.toLowerCase(),
          });
          return;
        }
        query.andWhere(`${not}(${TEXT_COLUMN[term.field]} LIKE :${p} ESCAPE '${LIKE_ESCAPE}')`, { [p]: likeContains(term.value) });
    }
  }

  /**
   * True when the first `to:`/`cc:` line of the search text (decoded header lines come first, one per line)
   * contains the value: the first occurrence of the value after the line start must come before the line's end.
   */
  private headerLineContains(field: 'to' | 'cc', p: string): string {
    const concat = (a: string, b: string) => (this.store.isSqlite ? `(${a} || ${b})` : `CONCAT(${a}, ${b})`);
    const text = concat(`:${p}n`, 'm.searchText');
    const start = `INSTR(${text}, :${p}h)`;
    const line = `SUBSTR(${text}, ${start} + ${field.length + 3})`;
    const hit = `INSTR(LOWER(${line}), :${p})`;
    const end = `INSTR(${line}, :${p}n)`;
    return `${start} > 0 AND ${hit} > 0 AND (${end} = 0 OR ${hit} < ${end})`;
  }
}

const TEXT_COLUMN: Record<'any' | 'from' | 'subject', string> = {
  any: 'm.searchText',
  from: 'm.fromAddress',
  subject: 'm.subject',
};
