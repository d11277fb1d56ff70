/**
 * The MODSEQ up to which a session's client has seen each message's flags, so that a change is reported only when
 * it is newer (RFC 7162 §3.1: a message's MODSEQ only grows). Change events reach a session in the order they were
 * published, which need not be the order their transactions committed in; and a FETCH or STORE reads the store,
 * which may be ahead of the events still on their way. Both are put in MODSEQ order here, message by message.
 *
 * Changes at or below `floor` (the mailbox's HIGHESTMODSEQ when it was selected) committed before the selection, so
 * whatever the client reads shows them: they are never news, and no entry is kept for them. The map holds only the
 * messages changed since the selection.
 */
export class SeenModseqs {
  private readonly byUid = new Map<number, number>();

  constructor(private readonly floor: number) {}

  /** Whether a change of `uid` at `modseq` is newer than anything the client was shown of it. */
  isNewer(uid: number, modseq: number): boolean {
    return modseq > this.floor && modseq > (this.byUid.get(uid) ?? 0);
  }

  /** The client was shown `uid` as of `modseq` (an unsolicited FETCH, or its own FETCH or STORE). */
  note(uid: number, modseq: number): void {
    if (this.isNewer(uid, modseq)) this.byUid.set(uid, modseq);
  }

  /** The message is gone from the client's view. */
  forget(uid: number): void {
    this.byUid.delete(uid);
  }
}
