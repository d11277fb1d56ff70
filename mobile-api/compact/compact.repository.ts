import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { MessageEntity } from '../../core/store/entities/message.entity.js';
import { StoreService } from '../../core/store/store.service.js';

export type CompactRow = Pick<MessageEntity, 'id' | 'mailboxId' | 'uid' | 'subject' | 'fromAddress' | 'sentDate' | 'seen' | 'flagged' | 'answered' | 'draft' | 'hasAttachments' | 'preview' | 'size'>;

const COLUMNS = ['id', 'mailboxId', 'uid', 'subject', 'fromAddress', 'sentDate', 'seen', 'flagged', 'answered', 'draft', 'hasAttachments', 'preview', 'size'].map((name) => `m.${name}`);

/** Newest-first pages by UID over the (mailboxId, uid) index, without structure or text columns. */
@Injectable()
export class CompactRepository {
  constructor(private readonly store: StoreService) {}

  async page(accountId: number, mailboxId: number, beforeUid: number | null, limit: number): Promise<CompactRow[]> {
    const query = this.store.reader.createQueryBuilder(MessageEntity, 'm').select(COLUMNS)
      .where('m.mailboxId = :mailboxId AND m.accountId = :accountId', { mailboxId, accountId })
      .orderBy('m.uid', 'DESC').limit(limit);
    if (beforeUid !== null) query.andWhere('m.uid < :beforeUid', { beforeUid });
    return query.getMany();
  }

  async byIds(accountId: number, ids: readonly number[]): Promise<CompactRow[]> {
    if (ids.length === 0) return [];
    return this.store.reader.createQueryBuilder(MessageEntity, 'm').select(COLUMNS)
      .where({ accountId, id: In([...ids]) }).orderBy('m.id', 'ASC').getMany();
  }
}
