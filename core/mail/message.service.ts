import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { BLOB_STORE, type BlobStore, type StoredBlob } from '../blob/blob-store.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import type { CrlfMeasure } from '../mime/line-ends.js';
import { createMessageAnalyzer, type MessageAnalyzer } from '../mime/message-analysis-pool.js';
import { storedStructureOf, type MessageAnalysis, type StoredStructure } from '../mime/message-analysis.types.js';
import { MailboxEntity } from '../store/entities/mailbox.entity.js';
import { MessageEntity } from '../store/entities/message.entity.js';
import type { MessageSummary, MessageWithText } from './message-summary.js';
import { StoreService, type StoreTransaction } from '../store/store.service.js';
import { BatchingQueue, type Queued } from '../util/batching-queue.js';
import { MailError } from './mail.errors.js';
import { MailRepository, type MailboxAllocation } from '../store/repositories/mail.repository.js';
import { applyFlags, flagList, flagStateOf, parseFlagList, sameFlags, type FlagOperation, type FlagState } from './message-flags.js';

/** A raw message written to the blob store and analysed, ready to be filed into mailboxes. */
export interface PreparedMessage {
  blob: StoredBlob;
  analysis: MessageAnalysis;
}

export interface FileTarget {
  accountId: number;
  mailboxId: number;
  flags?: readonly string[];
  internalDate?: number;
}

export interface FiledMessage {
  accountId: number;
  mailboxId: number;
  messageId: number;
  uid: number;
  uidValidity: number;
  modseq: number;
}

export interface FlagChange {
  uid: number;
  messageId: number;
  modseq: number;
  flags: string[];
}

export interface CopyResult {
  uidValidity: number;
  /** Source UID → destination UID, in source UID order. */
  uids: { source: number; destination: number }[];
}

type Alongside = (manager: StoreTransaction, filed: readonly FiledMessage[]) => Promise<void>;

interface FileRequest {
  prepared: PreparedMessage;
  targets: readonly FileTarget[];
  alongside?: Alongside;
}

/** Messages: append, flags, copy, move, expunge, read. Every change is one transaction followed by its event. */
@Injectable()
export class MessageService implements OnModuleDestroy {
  private readonly batches: BatchingQueue<FileRequest, FiledMessage[]> | null;
  private readonly analyzer: MessageAnalyzer;

  constructor(
    private readonly store: StoreService,
    private readonly repository: MailRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(EVENT_BUS) private readonly events: EventBus,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {
    // SQLite's single writer already commits concurrent transactions together (GroupCommitQueue).
    this.batches = store.isSqlite ? null : new BatchingQueue((batch) => this.fileBatch(batch));
    this.analyzer = createMessageAnalyzer(config.analysisOffloadSize);
  }

  async onModuleDestroy(): Promise<void> {
    await this.analyzer.close();
  }

  /** Writes the raw message durably to the blob store and analyses it; nothing is visible in any mailbox yet. */
  async prepare(raw: Buffer | Readable): Promise<PreparedMessage> {
    const blob = await this.blobs.put(raw);
    if (blob.size > this.config.maxMessageSize) {
      throw new MailError('TOOBIG', `message of ${blob.size} bytes exceeds the limit of ${this.config.maxMessageSize}`);
    }
    // Bytes read back from the store belong to nobody else and may move to an analysis thread; the caller's may not.
    const outcome = Buffer.isBuffer(raw)
      ? await this.analyzer.analyze(raw, false)
      : await this.analyzer.analyze(await this.blobs.get(blob.id), true);
    // The blob no row refers to is swept later, as that of a message refused as too big.
    if (!outcome.ok)
      throw new MailError(
        'LIMIT',
        outcome.reason === 'busy' ? 'too many messages are being analysed' : 'the message could not be analysed',
      );
    return { blob, analysis: outcome.analysis };
  }

  /** Stores a message into one mailbox (IMAP APPEND, saved drafts, sent copies). */
  async append(target: FileTarget, raw: Buffer | Readable): Promise<FiledMessage> {
    const prepared = await this.prepare(raw);
    const [filed] = await this.file(prepared, [target]);
    if (!filed) throw new MailError('OVERQUOTA', 'the mailbox is over its quota');
    return filed;
  }

  /**
   * Files one prepared message into several mailboxes in one transaction (SMTP delivery to several local
   * recipients). Targets whose account is over quota are left out of the result; the others are stored.
   * `alongside` runs in the same transaction once the copies are filed (queueing the remote recipients, so that
   * local copies and queued ones commit together); a throw there rolls everything back.
   */
  async file(prepared: PreparedMessage, targets: readonly FileTarget[], alongside?: Alongside): Promise<FiledMessage[]> {
    const request = { prepared, targets, alongside };
    const filed = this.batches ? await this.batches.run(request) : await this.fileAlone(request);
    for (const item of filed) {
      this.events.emit('message.added', {
        accountId: item.accountId,
        mailboxId: item.mailboxId,
        messageId: item.messageId,
        uid: item.uid,
        modseq: item.modseq,
      });
    }
    return filed;
  }

  private async fileAlone({ prepared, targets, alongside }: FileRequest): Promise<FiledMessage[]> {
    const { blob } = prepared;
    return this.store.transaction(async (manager) => {
      const result: FiledMessage[] = [];
      // The blob's row first: on MySQL the quota and mailbox rows below are the contended locks, held until COMMIT,
      // so nothing that can run before them should run after them.
      if (targets.length > 0) await this.repository.addBlobRefs(manager, blob.id, blob.size, targets.length);
      for (const target of targets) {
        if (!(await this.repository.chargeQuota(manager, target.accountId, blob.size))) continue;
        const flags = parseFlagList(target.flags ?? []);
        const allocated = await this.repository.allocate(
          manager,
          target.mailboxId,
          1,
          { unseen: flags.seen ? 0 : 1, size: blob.size },
          target.accountId,
        );
        if (!allocated) throw new MailError('NONEXISTENT', 'mailbox does not exist');
        const { firstUid: uid, modseq, uidValidity } = allocated;
        const messageId = await this.repository.insertMessage(manager, messageRow(prepared, target, uid, modseq));
        result.push({ accountId: target.accountId, mailboxId: target.mailboxId, messageId, uid, uidValidity, modseq });
      }
      if (result.length < targets.length) await this.repository.releaseBlobRefs(manager, [blob.id], targets.length - result.length);
      if (alongside) await alongside(manager, result);
      return result;
    });
  }

  /**
   * A batch goes together when it can; else each request is filed on its own. A batch of one goes together too:
   * that takes fewer statements than `fileAlone`, which charges and allocates target by target.
   */
  private async fileBatch(batch: Queued<FileRequest, FiledMessage[]>[]): Promise<void> {
    const results = await this.fileTogether(batch.map((entry) => entry.item)).catch(() => null);
    if (results) batch.forEach((entry, i) => entry.resolve(results[i]));
    else await Promise.all(batch.map((entry) => this.fileAlone(entry.item).then(entry.resolve, entry.reject)));
  }

  /**
   * Files the messages of several deliveries in one MySQL transaction: one statement for their blob references, one
   * per account for its quota charge and the UID allocation in its mailboxes, one reading the allocated UIDs,
   * multi-row INSERTs for the messages (returning their ids on MariaDB), one COMMIT. Concurrent deliveries into one
   * mailbox otherwise queue on its row lock, each holding it for several round trips. Throws (and each is filed
   * alone) when anything would differ from filing them one by one, such as an account running out of quota.
   */
  private async fileTogether(requests: FileRequest[]): Promise<FiledMessage[][]> {
    return this.store.transaction(async (manager) => {
      const blobRefs = new Map<string, { blobId: string; size: number; count: number }>();
      const accounts = new Map<number, { bytes: number; mailboxes: Map<number, MailboxAllocation> }>();
      for (const {
        prepared: { blob },
        targets,
      } of requests) {
        if (targets.length === 0) continue;
        const ref = blobRefs.get(blob.id) ?? { blobId: blob.id, size: blob.size, count: 0 };
        ref.count += targets.length;
        blobRefs.set(blob.id, ref);
        for (const target of targets) {
          const account = accounts.get(target.accountId) ?? { bytes: 0, mailboxes: new Map<number, MailboxAllocation>() };
          account.bytes += blob.size;
          accounts.set(target.accountId, account);
          const entry = account.mailboxes.get(target.mailboxId) ?? { mailboxId: target.mailboxId, count: 0, unseen: 0, size: 0 };
          entry.count++;
          entry.unseen += parseFlagList(target.flags ?? []).seen ? 0 : 1;
          entry.size += blob.size;
          account.mailboxes.set(target.mailboxId, entry);
        }
      }
      await this.repository.addManyBlobRefs(manager, [...blobRefs.values()]);
      // Accounts in id order, so that two batches lock them (and their mailboxes) in the same order.
      for (const [accountId, { bytes, mailboxes }] of [...accounts].sort(([a], [b]) => a - b)) {
        if (!(await this.repository.chargeAndAllocate(manager, accountId, bytes, [...mailboxes.values()]))) {
          throw new MailError('OVERQUOTA', 'the batch does not fit the quota, or a mailbox is gone');
        }
      }
      const allocations = new Map<number, { next: number; modseq: number; uidValidity: number }>();
      const counters = await this.repository.countersOf(
        manager,
        [...accounts.values()].flatMap((account) => [...account.mailboxes.keys()]),
      );
      for (const account of accounts.values()) {
        for (const { mailboxId, count } of account.mailboxes.values()) {
          const row = counters.get(mailboxId);
          if (!row) throw new Error(`mailbox ${mailboxId} vanished inside its transaction`);
          allocations.set(mailboxId, { next: row.uidNext - count, modseq: row.highestModseq, uidValidity: row.uidValidity });
        }
      }
      const filedBy = requests.map(({ targets }) =>
        targets.map((target) => {
          const slot = allocations.get(target.mailboxId)!;
          return { target, uid: slot.next++, modseq: slot.modseq, uidValidity: slot.uidValidity };
        }),
      );
      const ids = await this.repository.insertMessages(
        manager,
        requests.flatMap(({ prepared }, i) => filedBy[i].map(({ target, uid, modseq }) => messageRow(prepared, target, uid, modseq))),
      );
      let next = 0;
      const results: FiledMessage[][] = [];
      for (const [i, { alongside }] of requests.entries()) {
        const filed = filedBy[i].map(({ target, uid, modseq, uidValidity }): FiledMessage => ({
          accountId: target.accountId,
          mailboxId: target.mailboxId,
          messageId: ids[next++],
          uid,
          uidValidity,
          modseq,
        }));
        if (alongside) await alongside(manager, filed);
        results.push(filed);
      }
      return results;
    });
  }

  /** Summaries of the messages of a mailbox in UID order (no cached structure or text). */
  async list(mailboxId: number, uids?: readonly number[]): Promise<MessageSummary[]> {
    return this.repository.summaries(this.store.reader, mailboxId, uids);
  }

  async countDeleted(mailboxId: number): Promise<number> {
    return this.repository.countDeleted(this.store.reader, mailboxId);
  }

  /** Full rows, including the cached structure, for the given UIDs. */
  async get(mailboxId: number, uids: readonly number[], options: { searchText?: boolean } = {}): Promise<MessageWithText[]> {
    // Without the search text when the caller only needs the structure (IMAP ENVELOPE).
    return this.repository.messages(this.store.reader, mailboxId, uids, { searchText: options.searchText !== false });
  }

  /** A message by its row id, only if it belongs to the account. */
  async getById(accountId: number, messageId: number): Promise<MessageWithText | null> {
    return this.repository.messageOf(this.store.reader, accountId, messageId);
  }

  /** Messages changed after `modseq` and UIDs expunged after it (CONDSTORE/QRESYNC, delta sync). */
  async changesSince(mailboxId: number, modseq: number): Promise<{ changed: MessageSummary[]; vanished: number[] }> {
    // Cost follows the number of changes, not the mailbox size.
    return this.repository.changesSince(this.store.reader, mailboxId, modseq);
  }

  /**
   * A row's cached structure and search text as the current analysis gives them, for a row cached by an older one
   * (see STRUCTURE_VERSION). The result is kept, so each such row is analysed once, in the analysis threads as at
   * delivery; while they are busy the row answers as cached and is tried again at its next read.
   */
  async reanalyze(
    row: Pick<MessageWithText, 'id' | 'blobId' | 'structure'> & { searchText?: string },
  ): Promise<{ structure: StoredStructure; searchText: string }> {
    const outcome = await this.analyzer.analyze(await this.blobs.get(row.blobId), true);
    if (!outcome.ok) return { structure: row.structure, searchText: row.searchText ?? '' };
    const refreshed = { structure: storedStructureOf(outcome.analysis), searchText: outcome.analysis.searchText };
    // Not a change a client can see (the message is the same): no new MODSEQ, no event.
    await this.store.transaction((manager) => this.repository.updateAnalysis(manager, row.id, refreshed));
    return refreshed;
  }

  /**
   * Keeps CRLF sizes measured from the blobs of rows (by row id) stored before sizes were kept. Not a change a
   * client sees: no MODSEQ, no event.
   */
  async recordCrlfMeasures(measured: readonly { messageId: number; measure: CrlfMeasure }[]): Promise<void> {
    await this.store.transaction(async (manager) => {
      for (const { messageId, measure } of measured) {
        await manager.update(MessageEntity, { id: messageId }, { crlfSize: measure.octets, lineCount: measure.lines });
      }
    });
  }

  readRaw(blobId: string): Promise<Buffer> {
    return this.blobs.get(blobId);
  }

  streamRaw(blobId: string, range?: { start: number; end: number }): Readable {
    return this.blobs.stream(blobId, range);
  }

  /**
   * Changes flags of the given UIDs. With `unchangedSince` (RFC 7162 UNCHANGEDSINCE) messages modified after it
   * are left alone and reported in `modified`. All changed messages get one new MODSEQ.
   */
  async setFlags(
    accountId: number,
    mailboxId: number,
    uids: readonly number[],
    operation: FlagOperation,
    flags: readonly string[],
    unchangedSince?: number,
  ): Promise<{ changed: FlagChange[]; modified: number[]; unchanged: FlagChange[] }> {
    const change = parseFlagList(flags);
    const result = await this.store.transaction(async (manager) => {
      // Before the rows are read: two changes of one message read each other's result, and none is lost.
      await this.repository.lockMailbox(manager, mailboxId);
      const mailbox = await this.ownedMailbox(manager, accountId, mailboxId);
      const rows = await this.repository.summaries(manager, mailbox.id, uids);
      const modified: number[] = [];
      const unchanged: FlagChange[] = [];
      const updates = new Map<string, { state: FlagState; rows: MessageSummary[] }>();
      let unseenDelta = 0;
      for (const row of rows) {
        if (unchangedSince !== undefined && row.modseq > unchangedSince) {
          modified.push(row.uid);
          continue;
        }
        const before = flagStateOf(row);
        const after = applyFlags(before, operation, change);
        if (sameFlags(before, after)) {
          unchanged.push({ uid: row.uid, messageId: row.id, modseq: row.modseq, flags: flagList(before) });
          continue;
        }
        unseenDelta += Number(before.seen) - Number(after.seen);
        const key = JSON.stringify(after);
        const group = updates.get(key) ?? { state: after, rows: [] };
        group.rows.push(row);
        updates.set(key, group);
      }
      if (updates.size === 0) return { changed: [], modified, unchanged, modseq: mailbox.highestModseq };
      const modseq = await this.repository.nextModseq(manager, mailbox.id, { unseen: unseenDelta });
      const changed: FlagChange[] = [];
      for (const { state, rows: group } of updates.values()) {
        await this.repository.setFlags(
          manager,
          group.map((row) => row.id),
          state,
          modseq,
        );
        for (const row of group) changed.push({ uid: row.uid, messageId: row.id, modseq, flags: flagList(state) });
      }
      changed.sort((a, b) => a.uid - b.uid);
      return { changed, modified, unchanged, modseq };
    });
    if (result.changed.length > 0) {
      this.events.emit('flags.changed', { accountId, mailboxId, modseq: result.modseq, changes: result.changed });
    }
    return { changed: result.changed, modified: result.modified, unchanged: result.unchanged };
  }

  /** Copies messages into another mailbox of the same account; each copy gets a new UID there. */
  async copy(accountId: number, sourceMailboxId: number, uids: readonly number[], destinationMailboxId: number): Promise<CopyResult> {
    return this.transfer(accountId, sourceMailboxId, uids, destinationMailboxId, false);
  }

  /** Moves messages (RFC 6851): copy and expunge in one transaction. */
  async move(accountId: number, sourceMailboxId: number, uids: readonly number[], destinationMailboxId: number): Promise<CopyResult> {
    return this.transfer(accountId, sourceMailboxId, uids, destinationMailboxId, true);
  }

  /**
   * Removes messages for good. By default only those flagged \Deleted (IMAP EXPUNGE); with `uids`, only those
   * among them (UID EXPUNGE); with `ignoreDeletedFlag`, the given UIDs whatever their flags.
   */
  async expunge(
    accountId: number,
    mailboxId: number,
    options: { uids?: readonly number[]; ignoreDeletedFlag?: boolean } = {},
  ): Promise<number[]> {
    const result = await this.store.transaction(async (manager) => {
      // Two expunges at once must not both remove (and count, and announce) the same messages.
      await this.repository.lockMailbox(manager, mailboxId);
      const mailbox = await this.ownedMailbox(manager, accountId, mailboxId);
      const rows = (await this.repository.summaries(manager, mailbox.id, options.uids)).filter(
        (row) => options.ignoreDeletedFlag || row.deleted,
      );
      if (rows.length === 0) return null;
      const modseq = await this.repository.nextModseq(manager, mailbox.id);
      await this.repository.removeRows(manager, mailbox, rows, modseq, { logExpunge: true });
      return { rows, modseq };
    });
    if (!result) return [];
    const uids = result.rows.map((row) => row.uid);
    this.events.emit('message.expunged', {
      accountId,
      mailboxId,
      modseq: result.modseq,
      uids,
      messageIds: result.rows.map((row) => row.id),
    });
    return uids;
  }

  private async transfer(
    accountId: number,
    sourceMailboxId: number,
    uids: readonly number[],
    destinationMailboxId: number,
    move: boolean,
  ): Promise<CopyResult> {
    const outcome = await this.store.transaction(async (manager) => {
      const source = await this.ownedMailbox(manager, accountId, sourceMailboxId);
      const destination = await this.ownedMailbox(manager, accountId, destinationMailboxId);
      const rows = await this.repository.summaries(manager, source.id, uids);
      if (rows.length === 0) return { uidValidity: destination.uidValidity, pairs: [], added: [], expungeModseq: 0, rows, modseq: 0 };
      const size = rows.reduce((sum, row) => sum + row.size, 0);
      // A move within one account leaves its usage unchanged; a copy adds to it.
      if (!move && !(await this.repository.chargeQuota(manager, accountId, size))) {
        throw new MailError('OVERQUOTA', 'the copy would exceed the quota');
      }
      const allocated = await this.repository.allocate(manager, destination.id, rows.length, {
        unseen: rows.filter((row) => !row.seen).length,
        size,
      });
      if (!allocated) throw new MailError('NONEXISTENT', 'mailbox does not exist');
      const { firstUid, modseq, uidValidity } = allocated;
      const full = await this.repository.messages(
        manager,
        source.id,
        rows.map((row) => row.uid),
        { searchText: true },
      );
      const ids = await this.repository.insertCopies(manager, full, destination.id, firstUid, modseq);
      const added = ids.map((messageId, i) => ({ messageId, uid: firstUid + i }));
      let expungeModseq = 0;
      if (move) {
        expungeModseq = await this.repository.nextModseq(manager, source.id);
        await this.repository.removeRows(manager, source, rows, expungeModseq, { logExpunge: true, keepQuota: true });
      }
      const pairs = full.map((row, i) => ({ source: row.uid, destination: firstUid + i }));
      return { uidValidity, pairs, added, expungeModseq, rows, modseq };
    });
    for (const item of outcome.added) {
      this.events.emit('message.added', {
        accountId,
        mailboxId: destinationMailboxId,
        messageId: item.messageId,
        uid: item.uid,
        modseq: outcome.modseq,
      });
    }
    if (move && outcome.rows.length > 0) {
      this.events.emit('message.expunged', {
        accountId,
        mailboxId: sourceMailboxId,
        modseq: outcome.expungeModseq,
        uids: outcome.rows.map((row) => row.uid),
        messageIds: outcome.rows.map((row) => row.id),
      });
    }
    return { uidValidity: outcome.uidValidity, uids: outcome.pairs };
  }

  private async ownedMailbox(manager: StoreTransaction, accountId: number, mailboxId: number): Promise<MailboxEntity> {
    const mailbox = await this.repository.mailboxOf(manager, accountId, mailboxId);
    if (!mailbox) throw new MailError('NONEXISTENT', 'mailbox does not exist');
    return mailbox;
  }
}

function messageRow({ blob, analysis }: PreparedMessage, target: FileTarget, uid: number, modseq: number): Omit<MessageEntity, 'id'> {
  const internalDate = target.internalDate ?? Date.now();
  return {
    accountId: target.accountId,
    mailboxId: target.mailboxId,
    uid,
    modseq,
    ...parseFlagList(target.flags ?? []),
    internalDate,
    size: blob.size,
    crlfSize: analysis.crlf.octets,
    lineCount: analysis.crlf.lines,
    blobId: blob.id,
    sentDate: analysis.date ?? internalDate,
    subject: truncate(analysis.subject, 998),
    fromAddress: truncate(analysis.from, 998),
    messageIdHeader: truncate(analysis.messageId, 998),
    preview: truncate(analysis.preview, 300),
    hasAttachments: analysis.hasAttachments,
    structure: storedStructureOf(analysis),
    searchText: analysis.searchText,
  };
}

function truncate(value: string, length: number): string {
  return value.length > length ? value.slice(0, length) : value;
}
