import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountsService } from '../accounts/accounts.service.js';
import { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { EVENT_BUS, type EventBus } from '../events/event-bus.js';
import { LOGGER } from '../logging/logger.js';
import { MailError } from '../mail/mail.errors.js';
import { MailboxArrivalsService } from '../mail/mailbox-arrivals.service.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { flagList, flagStateOf } from '../mail/message-flags.js';
import { MessageContentReader } from '../mail/message-content.reader.js';
import type { MessageFlagRow } from '../mail/message-listing.js';
import { MessageListingService } from '../mail/message-listing.service.js';
import { MessageService } from '../mail/message.service.js';
import { crlfLineEnds } from '../mime/line-ends.js';
import { isCurrentStructure } from '../mime/message-analysis.types.js';
import type {
  FlagColumns,
  ImapAccount,
  ImapBackend,
  ListingColumn,
  MailboxEvents,
  MailboxInfo,
  MessageDetail,
  MessageMeta,
  Refusal,
} from './imap-backend.js';
import type { Mailbox } from '../mail/mailbox.js';
import type { MessageWithText } from '../mail/message-summary.js';

/** The IMAP backend over the core mail services; MailError refusals become values here and nowhere else. */
/** Mailboxes whose \Recent marker is remembered; past this the map starts again (a cache: forgetting is safe). */
const RECENT_MARKERS_KEPT = 100_000;

@Injectable()
export class ImapMailBackend implements ImapBackend {
  readonly appendLimit: number;
  private readonly subscribers = new Map<number, Set<MailboxEvents>>();
  private listening = false;
  /**
   * Mailbox id → a \Recent marker the store is known to have reached (it only grows). When a new message reaches
   * many sessions of one mailbox, the first claims it in the store and the others learn from this map that it is
   * claimed, instead of each asking the store: at 10,000 idle sessions that was seconds of queries per message.
   */
  private readonly recentMarkers = new Map<number, number>();
  /** The claim in progress (or last queued) per mailbox. */
  private readonly recentClaims = new Map<number, Promise<number>>();

  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
    private readonly arrivals: MailboxArrivalsService,
    private readonly listing: MessageListingService,
    private readonly contents: MessageContentReader,
    @Inject(EVENT_BUS) private readonly events: EventBus,
    @Inject(MAILHIVE_CONFIG) config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.appendLimit = config.maxMessageSize;
  }

  async authenticate(username: string, password: string, remoteAddress: string) {
    const result = await this.auth.authenticate({ username, password, remoteAddress, protocol: 'imap' });
    if (!result.ok) return result;
    const account: ImapAccount = { id: result.account.id, address: result.account.address, credentialId: result.credentialId };
    return { ok: true as const, account };
  }

  async listMailboxes(accountId: number): Promise<MailboxInfo[]> {
    return (await this.mailboxes.list(accountId)).map(mailboxInfo);
  }

  async findMailbox(accountId: number, path: string): Promise<MailboxInfo | null> {
    const mailbox = await this.mailboxes.find(accountId, path);
    return mailbox ? mailboxInfo(mailbox) : null;
  }

  createMailbox(accountId: number, path: string) {
    return refusing(async () => mailboxInfo(await this.mailboxes.create(accountId, path)));
  }

  deleteMailbox(accountId: number, path: string) {
    return refusing(() => this.mailboxes.delete(accountId, path));
  }

  renameMailbox(accountId: number, from: string, to: string) {
    return refusing(async () => {
      await this.mailboxes.rename(accountId, from, to);
    });
  }

  setSubscribed(accountId: number, path: string, subscribed: boolean) {
    return refusing(() => this.mailboxes.setSubscribed(accountId, path, subscribed));
  }

  danglingSubscriptions(accountId: number) {
    return this.mailboxes.danglingSubscriptions(accountId);
  }

  countDeleted(mailboxId: number): Promise<number> {
    return this.messages.countDeleted(mailboxId);
  }

  async selectView(mailbox: MailboxInfo) {
    const { uids, firstUnseenIndex } = await this.listing.openState(mailbox);
    return { uids, firstUnseen: firstUnseenIndex };
  }

  async listMessages(mailboxId: number, uids?: readonly number[]): Promise<MessageMeta[]> {
    if (!uids) return (await this.listing.flagRows(mailboxId)).map(messageMeta);
    if (uids.length === 0) return [];
    // UIDs arrive sorted; one range query beats IN (...) lists, and the few rows in between are dropped here.
    const rows = await this.listing.flagRows(mailboxId, { from: uids[0], to: uids[uids.length - 1] });
    const wanted = rows.length === uids.length ? null : new Set(uids);
    return rows.filter((row) => !wanted || wanted.has(row.uid)).map(messageMeta);
  }

  async listColumns(mailboxId: number, extra: readonly ListingColumn[], uids?: readonly number[]): Promise<FlagColumns> {
    if (!uids) return this.listing.flagColumns(mailboxId, extra);
    if (uids.length === 0) return { uids: [], flagBits: [], keywords: new Map() };
    const listing = await this.listing.flagColumns(mailboxId, extra, { from: uids[0], to: uids[uids.length - 1] });
    return listing.uids.length === uids.length ? listing : onlyUids(listing, extra, uids);
  }

  async getMessages(mailboxId: number, uids: readonly number[], options: { searchText?: boolean } = {}): Promise<MessageDetail[]> {
    if (uids.length === 0) return [];
    return Promise.all(
      (await this.messages.get(mailboxId, uids, options)).map(async (row: MessageWithText) => {
        let { structure, searchText } = row;
        if (!isCurrentStructure(structure)) {
          // Cached by an older analysis (see STRUCTURE_VERSION): answer from a fresh one rather than a stale one.
          const refreshed = await this.messages.reanalyze(row);
          structure = refreshed.structure;
          if (options.searchText !== false) searchText = refreshed.searchText;
        }
        return { ...messageMeta(row), subject: row.subject, structure, searchText: searchText ?? '' };
      }),
    );
  }

  readRaw(blobId: string): Promise<Buffer> {
    return this.messages.readRaw(blobId);
  }

  readRawMany(blobIds: readonly string[]): Promise<Buffer[]> {
    return this.contents.readMany(blobIds);
  }

  async changesSince(mailboxId: number, modseq: number) {
    const { changed, vanished } = await this.messages.changesSince(mailboxId, modseq);
    return { changed: changed.map(messageMeta), vanished };
  }

  uidsAbove(mailboxId: number, uid: number): Promise<number[]> {
    return this.arrivals.uidsAbove(mailboxId, uid);
  }

  claimRecent(mailboxId: number, upTo: number): Promise<number> {
    // One claim at a time per mailbox: the sessions a new message wakes all ask in the same tick, and all but the
    // first then find the answer in recentMarkers.
    const run = (this.recentClaims.get(mailboxId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.claimRecentOnce(mailboxId, upTo));
    this.recentClaims.set(mailboxId, run);
    const forget = () => {
      if (this.recentClaims.get(mailboxId) === run) this.recentClaims.delete(mailboxId);
    };
    run.then(forget, forget);
    return run;
  }

  private async claimRecentOnce(mailboxId: number, upTo: number): Promise<number> {
    const known = this.recentMarkers.get(mailboxId);
    // The store's marker is at least `known` >= upTo: its answer would hand this session nothing either.
    if (known !== undefined && known >= upTo) return known;
    const previous = await this.arrivals.claimRecent(mailboxId, upTo);
    if (this.recentMarkers.size >= RECENT_MARKERS_KEPT) this.recentMarkers.clear();
    this.recentMarkers.set(mailboxId, Math.max(previous, upTo, this.recentMarkers.get(mailboxId) ?? 0));
    return previous;
  }

  countRecent(mailbox: MailboxInfo): Promise<number> {
    return this.arrivals.countRecent(mailbox);
  }

  async checkAppend(account: ImapAccount, size: number): Promise<Refusal | null> {
    if (size > this.appendLimit) return { refused: true, code: 'TOOBIG', text: `Message larger than APPENDLIMIT ${this.appendLimit}` };
    const { usedBytes, limitBytes } = await this.quota(account);
    if (limitBytes > 0 && usedBytes + size > limitBytes) return { refused: true, code: 'OVERQUOTA', text: 'Quota exceeded' };
    return null;
  }

  append(accountId: number, mailboxId: number, raw: Buffer, flags: readonly string[], internalDate: number | null) {
    return refusing(async () => {
      // RFC 3501 §6.3.11: the message is an RFC 5322 message; a bare-LF one is stored with CRLF line ends.
      const filed = await this.messages.append(
        { accountId, mailboxId, flags, ...(internalDate === null ? {} : { internalDate }) },
        crlfLineEnds(raw),
      );
      return { uid: filed.uid, uidValidity: filed.uidValidity };
    });
  }

  setFlags(
    accountId: number,
    mailboxId: number,
    uids: readonly number[],
    operation: 'add' | 'remove' | 'replace',
    flags: readonly string[],
    unchangedSince?: number,
  ) {
    return refusing(async () => {
      const result = await this.messages.setFlags(accountId, mailboxId, uids, operation, flags, unchangedSince);
      const pick = ({ uid, modseq, flags: list }: { uid: number; modseq: number; flags: string[] }) => ({ uid, modseq, flags: list });
      return { changed: result.changed.map(pick), modified: result.modified, unchanged: result.unchanged.map(pick) };
    });
  }

  copy(accountId: number, mailboxId: number, uids: readonly number[], destinationId: number) {
    return refusing(async () => {
      const result = await this.messages.copy(accountId, mailboxId, uids, destinationId);
      return { uidValidity: result.uidValidity, pairs: result.uids };
    });
  }

  move(accountId: number, mailboxId: number, uids: readonly number[], destinationId: number) {
    return refusing(async () => {
      const result = await this.messages.move(accountId, mailboxId, uids, destinationId);
      return { uidValidity: result.uidValidity, pairs: result.uids };
    });
  }

  expunge(accountId: number, mailboxId: number, uids?: readonly number[]) {
    return refusing(() => this.messages.expunge(accountId, mailboxId, uids ? { uids } : {}));
  }

  async quota(account: ImapAccount): Promise<{ usedBytes: number; limitBytes: number }> {
    const row = await this.accounts.findUser(account.address);
    return { usedBytes: row?.usedBytes ?? 0, limitBytes: row?.quotaBytes ?? 0 };
  }

  /**
   * One bus listener per event type for all sessions, fanned out by account: an event costs a map lookup, not
   * a call per open session (10,000 idle sessions).
   */
  subscribe(accountId: number, handlers: MailboxEvents): () => void {
    if (!this.listening) this.listen();
    const set = this.subscribers.get(accountId) ?? new Set<MailboxEvents>();
    set.add(handlers);
    this.subscribers.set(accountId, set);
    return () => {
      set.delete(handlers);
      if (set.size === 0 && this.subscribers.get(accountId) === set) this.subscribers.delete(accountId);
    };
  }

  private listen(): void {
    this.listening = true;
    const each = (accountId: number, call: (handlers: MailboxEvents) => void) => {
      for (const handlers of this.subscribers.get(accountId) ?? []) {
        try {
          call(handlers);
        } catch (error) {
          // One session's bug must not keep the event from the others.
          this.logger.error({ err: error }, 'IMAP session event handler failed');
        }
      }
    };
    this.events.on('message.added', (event) => each(event.accountId, (handlers) => handlers.added(event)));
    this.events.on('flags.changed', (event) => each(event.accountId, (handlers) => handlers.flags(event)));
    this.events.on('message.expunged', (event) => each(event.accountId, (handlers) => handlers.expunged(event)));
    this.events.on('mailbox.changed', (event) => each(event.accountId, (handlers) => handlers.mailbox(event)));
    this.events.on('credential.revoked', (event) => each(event.accountId, (handlers) => handlers.revoked(event)));
    this.events.onResumed(() => {
      for (const accountId of this.subscribers.keys()) each(accountId, (handlers) => handlers.resync());
    });
  }
}

async function refusing<T>(work: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MailError) return { refused: true, code: error.code, text: error.message };
    throw error;
  }
}

function mailboxInfo(mailbox: Mailbox): MailboxInfo {
  return {
    id: mailbox.id,
    path: mailbox.path,
    specialUse: mailbox.specialUse,
    subscribed: mailbox.subscribed,
    uidValidity: mailbox.uidValidity,
    uidNext: mailbox.uidNext,
    highestModseq: mailbox.highestModseq,
    recentUid: mailbox.recentUid,
    messageCount: mailbox.messageCount,
    unseenCount: mailbox.unseenCount,
    totalSize: mailbox.totalSize,
  };
}

function messageMeta(row: MessageFlagRow): MessageMeta {
  return {
    uid: row.uid,
    modseq: row.modseq,
    flags: flagList(flagStateOf(row)),
    internalDate: row.internalDate,
    sentDate: row.sentDate,
    size: row.size,
    blobId: row.blobId,
  };
}

/** The rows of a range listing whose UIDs are among `uids` (both ascending). */
function onlyUids(listing: FlagColumns, extra: readonly ListingColumn[], uids: readonly number[]): FlagColumns {
  const keep: number[] = [];
  let j = 0;
  for (let i = 0; i < listing.uids.length; i++) {
    const uid = listing.uids[i];
    while (j < uids.length && uids[j] < uid) j++;
    if (j < uids.length && uids[j] === uid) keep.push(i);
  }
  const pick = (values: number[]) => keep.map((i) => values[i]);
  const result: FlagColumns = { uids: pick(listing.uids), flagBits: pick(listing.flagBits), keywords: listing.keywords };
  for (const column of extra) result[column] = pick(listing[column]!);
  return result;
}
