import type { MailEventMap } from '../../events/mail-events.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';

export interface ReportOptions {
  /** RFC 3501 §7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH. */
  expunge: boolean;
  /** QRESYNC enabled: VANISHED instead of EXPUNGE (RFC 7162 §3.2.10). */
  vanished: boolean;
  /** CONDSTORE enabled: MODSEQ in unsolicited FETCH. */
  modseq: boolean;
}

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
  /** Called when something arrived to report (IDLE wakes up). */
  onChange: (() => void) | null = null;

  constructor(
    readonly mailboxId: number,
    readonly path: string,
    readonly readOnly: boolean,
    readonly uidValidity: number,
    /** uids[seq - 1] is the UID of sequence number seq. */
    private uids: number[],
    public highestModseq: number,
  ) {}

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
    if (this.seqOf(event.uid) !== 0) return;
    this.pendingAdded.add(event.uid);
    this.changed();
  }

  flags(event: MailEventMap['flags.changed']): void {
    for (const change of event.changes) this.pendingFlags.set(change.uid, { flags: change.flags, modseq: change.modseq });
    this.changed();
  }

  expunged(event: MailEventMap['message.expunged']): void {
    for (const uid of event.uids) {
      if (this.pendingAdded.delete(uid)) continue;
      if (this.seqOf(uid) !== 0) this.pendingExpunged.add(uid);
    }
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

  /** Queues UIDs this session expunged itself; they are reported at once by the command. */
  expungeNow(uids: readonly number[]): void {
    for (const uid of uids) if (this.seqOf(uid) !== 0) this.pendingExpunged.add(uid);
  }

  /** Adds UIDs this session knows were added (APPEND/COPY into the selected mailbox). */
  addNow(uids: readonly number[]): void {
    for (const uid of uids) if (this.seqOf(uid) === 0) this.pendingAdded.add(uid);
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
    }
    for (const [uid, change] of this.pendingFlags) {
      if (this.ownModseqs.has(change.modseq) || this.pendingExpunged.has(uid)) continue;
      const seq = this.seqOf(uid);
      if (seq === 0) continue;
      const items: OutValue[] = [atom('UID'), uid, atom('FLAGS'), change.flags.map(atom)];
      if (options.modseq) items.push(atom('MODSEQ'), [change.modseq]);
      lines.push([seq, atom('FETCH'), items]);
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
      }
    }
    return lines;
  }
}
