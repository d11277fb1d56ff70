import type { MailEventMap } from '../../events/mail-events.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';
import { KeywordAnnouncement } from './keyword-announcement.js';
import { SeenModseqs } from './seen-modseqs.js';

export interface ReportOptions {
  /** RFC 3501 §7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH. */
  expunge: boolean;
  /** QRESYNC enabled: VANISHED instead of EXPUNGE (RFC 7162 §3.2.10). */
  vanished: boolean;
  /** CONDSTORE enabled: MODSEQ in unsolicited FETCH. */
  modseq: boolean;
}

/** Where a session's view reads what other sessions and nodes committed, and claims \Recent. */
export interface MailboxSource {
  /** UIDs above `uid`, ascending, as committed now. */
  uidsAbove(uid: number): Promise<number[]>;
  /** Raises the mailbox's \Recent marker to `upTo`; the marker before, so this session owns (previous, upTo]. */
  claimRecent(upTo: number): Promise<number>;
}

/**
 * IMAP4rev1 \Recent for this session: `claim` (read-write SELECT: new arrivals are claimed as they are reported),
 * `show` (EXAMINE: recent at selection, never claimed) or `off` (IMAP4rev2 has no \Recent, RFC 9051 §2.3.2).
 */
export type RecentMode = 'claim' | 'show' | 'off';

/**
 * The session's view of its selected mailbox: the sequence number → UID map and the changes made by others
 * that the client has not been told about yet. Events are queued as they arrive and turned into untagged
 * responses only where the protocol allows, so sequence numbers stay consistent for this client.
 */
export class SelectedMailbox {
  private readonly pendingAdded = new Set<number>();
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingFlags = new Map<number, { flags: string[]; modseq: number }>();
  /** MODSEQs of this session's own STOREs: their FETCH responses were already sent. */
  private readonly ownModseqs = new Set<number>();
  /** The MODSEQ each message's flags were last shown at: older changes arriving late are not reported. */
  private readonly seen: SeenModseqs;
  /** Keywords named in FLAGS so far. */
  private readonly keywords: KeywordAnnouncement;
  /**
   * UIDs expunged before this view learnt they were added (the expunge's event overtook the arrival's): an arrival
   * event for them comes late and must not bring back a message that is gone.
   */
  private readonly expungedAhead = new Set<number>();
  /** Called when something arrived to report (IDLE wakes up). */
  onChange: (() => void) | null = null;
  private source: MailboxSource | null = null;
  private recentMode: RecentMode = 'off';
  /** UIDs that are \Recent in this session. */
  private readonly recent = new Set<number>();
  /** Highest UID this view accounts for (reported or pending): every committed UID up to it is known. */
  private knownUpTo: number;
  /** An added UID did not follow `knownUpTo`: what lies between must be read from the store. */
  private gap = false;
  private syncing: Promise<void> | null = null;
  private expungedDuringSync: Set<number> | null = null;
  private claimedUpTo = 0;

  constructor(
    readonly mailboxId: number,
    readonly path: string,
    readonly readOnly: boolean,
    readonly uidValidity: number,
    /** uids[seq - 1] is the UID of sequence number seq. */
    private uids: number[],
    public highestModseq: number,
  ) {
    this.knownUpTo = uids[uids.length - 1] ?? 0;
    this.seen = new SeenModseqs(highestModseq);
    this.keywords = new KeywordAnnouncement(readOnly);
  }

  /** Reads arrivals from `source`, and sets which UIDs are \Recent at selection. */
  connect(source: MailboxSource, recentMode: RecentMode, recentUids: readonly number[]): void {
    this.source = source;
    this.recentMode = recentMode;
    for (const uid of recentUids) this.recent.add(uid);
    this.claimedUpTo = this.knownUpTo;
  }

  get recentCount(): number {
    return this.recent.size;
  }

  get recentUids(): ReadonlySet<number> {
    return this.recent;
  }

  /** The flags to show for a message: `\Recent` added when it is recent in this session. */
  withRecent(uid: number, flags: string[]): string[] {
    if (!this.recent.has(uid)) return flags;
    const system = flags.filter((flag) => flag.startsWith('\\'));
    return [...system, '\\Recent', ...flags.slice(system.length)];
  }

  get exists(): number {
    return this.uids.length;
  }

  get allUids(): readonly number[] {
    return this.uids;
  }

  uidAt(seq: number): number | undefined {
    return this.uids[seq - 1];
  }

  /** Sequence number of a UID, 0 when it is not in the session's view. */
  seqOf(uid: number): number {
    let low = 0;
    let high = this.uids.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const value = this.uids[mid];
      if (value === uid) return mid + 1;
      if (value < uid) low = mid + 1;
      else high = mid - 1;
    }
    return 0;
  }

  /** Whether a UID is expunged but the client was not told yet (its data may be gone). */
  isPendingExpunge(uid: number): boolean {
    return this.pendingExpunged.has(uid);
  }

  added(event: MailEventMap['message.added']): void {
    this.noteAdded(event.uid);
  }

  /**
   * Events from several nodes may arrive out of UID order (node A commits UID 5, node B UID 6, B's event comes
   * first). Reporting 6 on its own would leave 5 unreportable, as sequence numbers must follow UIDs; so a UID
   * that does not directly follow the known ones makes the view read the store instead (see `sync`).
   */
  private noteAdded(uid: number): void {
    if (this.seqOf(uid) !== 0 || this.pendingAdded.has(uid)) return;
    const gone = this.expungedAhead.delete(uid);
    if (!this.source || (uid === this.knownUpTo + 1 && !this.gap)) {
      if (!gone) this.pendingAdded.add(uid);
      this.knownUpTo = Math.max(this.knownUpTo, uid);
    } else if (!gone) {
      this.gap = true;
    }
    if (!gone) this.changed();
  }

  /**
   * Brings pending arrivals up to date with the store before they are reported: after a gap, all UIDs committed
   * above the last reported one (UIDs commit in UID order, so none below can appear later); in a read-write
   * IMAP4rev1 session, the \Recent claim on the new ones. Cheap when there is nothing to do.
   */
  async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    const source = this.source;
    if (!source || (!this.gap && !this.needsClaim())) return;
    this.syncing = this.runSync(source);
    try {
      await this.syncing;
    } finally {
      this.syncing = null;
    }
  }

  private needsClaim(): boolean {
    if (this.recentMode !== 'claim') return false;
    for (const uid of this.pendingAdded) if (uid > this.claimedUpTo) return true;
    return false;
  }

  private async runSync(source: MailboxSource): Promise<void> {
    if (this.gap) {
      this.gap = false;
      const expunged = new Set<number>();
      this.expungedDuringSync = expunged;
      let above: number[];
      try {
        above = await source.uidsAbove(this.uids[this.uids.length - 1] ?? 0);
      } catch (error) {
        this.gap = true;
        throw error;
      } finally {
        this.expungedDuringSync = null;
      }
      for (const uid of above) if (!expunged.has(uid) && !this.expungedAhead.has(uid) && this.seqOf(uid) === 0) this.pendingAdded.add(uid);
      this.knownUpTo = Math.max(this.knownUpTo, above[above.length - 1] ?? 0);
    }
    if (this.needsClaim()) {
      const candidates = [...this.pendingAdded].filter((uid) => uid > this.claimedUpTo);
      // Not Math.max(...candidates): spreading a COPY of 200,000 messages overflows the stack.
      const top = candidates.reduce((max, uid) => Math.max(max, uid), 0);
      this.claimedUpTo = top;
      const previous = await source.claimRecent(top);
      for (const uid of candidates) if (uid > previous) this.recent.add(uid);
    }
  }

  /** Queues flag changes; one older than what the client saw or what is queued for the message is dropped. */
  flags(event: MailEventMap['flags.changed']): void {
    for (const change of event.changes) {
      if (!this.seen.isNewer(change.uid, change.modseq)) continue;
      const queued = this.pendingFlags.get(change.uid);
      if (queued && queued.modseq >= change.modseq) continue;
      this.pendingFlags.set(change.uid, { flags: change.flags, modseq: change.modseq });
    }
    this.changed();
  }

  expunged(event: MailEventMap['message.expunged']): void {
    for (const uid of event.uids) {
      this.expungedDuringSync?.add(uid);
      if (this.pendingAdded.delete(uid)) continue;
      if (this.seqOf(uid) !== 0) this.pendingExpunged.add(uid);
      else if (uid > this.knownUpTo) this.expungedAhead.add(uid);
    }
    this.changed();
  }

  /**
   * Arrivals may have gone unheard (the bus was down): the next report reads the UIDs above the known ones from the
   * store, as after an out-of-order event.
   */
  resync(): void {
    if (!this.source) return;
    this.gap = true;
    this.changed();
  }

  /** Every message is gone (the mailbox was deleted); reported as expunges where allowed. */
  vanishAll(): void {
    this.pendingAdded.clear();
    for (const uid of this.uids) this.pendingExpunged.add(uid);
    this.changed();
  }

  noteOwnModseq(modseq: number): void {
    this.ownModseqs.add(modseq);
  }

  /** The client was shown the flags of `uid` as of `modseq` by its own FETCH or STORE. */
  noteShown(uid: number, modseq: number): void {
    this.seen.note(uid, modseq);
  }

  /**
   * Untagged FLAGS and PERMANENTFLAGS to write before a response that shows `flags`, when one of them is a keyword
   * the client was not told of yet (none otherwise).
   */
  announceKeywords(flags: Iterable<string>): OutValue[][] {
    return this.keywords.announce(flags);
  }

  /** Queues UIDs this session expunged itself; they are reported at once by the command. */
  expungeNow(uids: readonly number[]): void {
    for (const uid of uids) if (this.seqOf(uid) !== 0) this.pendingExpunged.add(uid);
  }

  /** Adds UIDs this session knows were added (APPEND/COPY into the selected mailbox). */
  addNow(uids: readonly number[]): void {
    for (const uid of [...uids].sort((a, b) => a - b)) this.noteAdded(uid);
  }

  private changed(): void {
    this.onChange?.();
  }

  get hasPending(): boolean {
    return this.pendingAdded.size > 0 || this.pendingFlags.size > 0 || this.pendingExpunged.size > 0;
  }

  /** The untagged responses due now, updating the sequence map as the client will see it. */
  report(options: ReportOptions): OutValue[][] {
    const lines: OutValue[][] = [];
    if (options.expunge && this.pendingExpunged.size > 0) {
      const gone = [...this.pendingExpunged].filter((uid) => this.seqOf(uid) !== 0).sort((a, b) => b - a);
      this.pendingExpunged.clear();
      if (options.vanished) {
        if (gone.length > 0) lines.push([atom('VANISHED'), atom(formatSequenceSet(gone))]);
      } else {
        // Highest first, so each number is valid at the moment the client reads it; removing a higher
        // message does not move a lower one, so all numbers can be taken from the map as it is now.
        for (const uid of gone) lines.push([this.seqOf(uid), atom('EXPUNGE')]);
      }
      const removed = new Set(gone);
      if (removed.size > 0) this.uids = this.uids.filter((uid) => !removed.has(uid));
      for (const uid of gone) {
        this.recent.delete(uid);
        this.seen.forget(uid);
      }
    }
    // In MODSEQ order: the order the changes committed in, whatever order their events came in.
    const flagChanges = [...this.pendingFlags].sort(([, a], [, b]) => a.modseq - b.modseq);
    for (const [uid, change] of flagChanges) {
      if (this.ownModseqs.has(change.modseq) || this.pendingExpunged.has(uid) || !this.seen.isNewer(uid, change.modseq)) continue;
      const seq = this.seqOf(uid);
      if (seq === 0) continue;
      lines.push(...this.keywords.announce(change.flags));
      const items: OutValue[] = [atom('UID'), uid, atom('FLAGS'), this.withRecent(uid, change.flags).map(atom)];
      if (options.modseq) items.push(atom('MODSEQ'), [change.modseq]);
      lines.push([seq, atom('FETCH'), items]);
      this.seen.note(uid, change.modseq);
      this.highestModseq = Math.max(this.highestModseq, change.modseq);
    }
    this.pendingFlags.clear();
    this.ownModseqs.clear();
    if (this.pendingAdded.size > 0) {
      const last = this.uids[this.uids.length - 1] ?? 0;
      const fresh = [...this.pendingAdded].filter((uid) => uid > last).sort((a, b) => a - b);
      this.pendingAdded.clear();
      if (fresh.length > 0) {
        for (const uid of fresh) this.uids.push(uid);
        lines.push([this.uids.length, atom('EXISTS')]);
        // RFC 3501 §7.3.2: RECENT goes with a change of EXISTS.
        if (this.recentMode !== 'off') lines.push([this.recent.size, atom('RECENT')]);
      }
    }
    return lines;
  }
}
