import { Injectable } from '@nestjs/common';
import { ExpungeLogEntity } from '../entities/expunge-log.entity.js';
import { MessageEntity } from '../entities/message.entity.js';
import { StoreService } from '../store.service.js';

/** Index-backed change queries: messages by (mailboxId, modseq), the expunge log by (mailboxId, modseq). */
@Injectable()
export class MessageChangesRepository {
  constructor(private readonly store: StoreService) {}

  /** Messages of the mailbox changed after `modseq` (all of them for 0), with their UID. */
  async changedSince(accountId: number, mailboxId: number, modseq: number): Promise<{ id: number; uid: number }[]> {
    const rows = await this.store.reader
      .createQueryBuilder(MessageEntity, 'm')
      .select(['m.id', 'm.uid'])
      .where('m.mailboxId = :mailboxId AND m.accountId = :accountId AND m.modseq > :modseq', { mailboxId, accountId, modseq })
      .getMany();
    return rows.map((row) => ({ id: row.id, uid: row.uid }));
  }

  /** Row ids of messages expunged from the mailbox after `modseq`. */
  async removedSince(accountId: number, mailboxId: number, modseq: number): Promise<number[]> {
    const rows = await this.store.reader
      .createQueryBuilder(ExpungeLogEntity, 'e')
      .select(['e.id', 'e.messageId'])
      .where('e.mailboxId = :mailboxId AND e.accountId = :accountId AND e.modseq > :modseq', { mailboxId, accountId, modseq })
      .getMany();
    return rows.flatMap((row) => (row.messageId === null ? [] : [row.messageId]));
  }
}
