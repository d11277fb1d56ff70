// What one IMAP client has been told about its selected mailbox, and the protocol rules every response is checked
// against. Pure: fed parsed response lines, it records violations; the stress runner owns the sockets.

/** Kinds of protocol violation the model detects. */
export type ViolationKind =
  /** RFC 3501 §7.2.6: a keyword shown in FETCH FLAGS before an untagged FLAGS named it. */
  | 'keyword-unannounced'
  /** RFC 7162 §3.1: a message's MODSEQ went down. */
  | 'modseq-decrease'
  /** Two answers gave one message different flags at the same MODSEQ. */
  | 'flags-differ'
  /** FETCH for a sequence number the client was never told exists (0 or above EXISTS). */
  | 'fetch-unknown-seq'
  /** FETCH for a UID the client was told is expunged. */
  | 'fetch-expunged'
  /** FETCH naming a UID other than the one the client holds at that sequence number, or out of UID order. */
  | 'uid-mismatch'
  /** EXPUNGE for a sequence number the client does not have. */
  | 'expunge-unknown-seq'
  /** RFC 3501 §7.3.1: EXISTS below what was announced minus what was expunged since. */
  | 'exists-decrease'
  /** A STORE (not .SILENT) answered with flags that do not carry out what was stored. */
  | 'store-result';

export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'keyword-unannounced',
  'modseq-decrease',
  'flags-differ',
  'fetch-unknown-seq',
  'fetch-expunged',
  'uid-mismatch',
  'expunge-unknown-seq',
  'exists-decrease',
  'store-result',
];

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

/** Flags of each (UID, MODSEQ) any client was shown: the same MODSEQ must always come with the same flags. */
export class SharedFlagLedger {
  private readonly latest = new Map<number, { modseq: number; flags: string }>();

  /** The flags seen before at this UID and MODSEQ when they differ from `flags`, else null. */
  record(uid: number, modseq: number, flags: string): string | null {
    const known = this.latest.get(uid);
    if (known && known.modseq === modseq && known.flags !== flags) return known.flags;
    if (!known || known.modseq <= modseq) this.latest.set(uid, { modseq, flags });
    return null;
  }
}

export interface FetchData {
  seq: number;
  uid: number | null;
  flags: string[] | null;
  modseq: number | null;
}

/** A STORE the client sent, to check the FETCH responses it gets for it. */
export interface PendingStore {
  operation: 'add' | 'remove' | 'replace';
  flags: string[];
}

/** One client's view: the flags it was told of, its sequence → UID map, and the MODSEQ last shown per UID. */
export class ClientMailboxModel {
  private knownFlags = new Set<string>();
  /** uids[seq - 1]; null where the client knows the message exists but not yet its UID. */
  private uids: (number | null)[] = [];
  private readonly modseqs = new Map<number, number>();
  private readonly expunged = new Set<number>();
  /** The STORE being answered, by UID. */
  private store: { uids: Set<number>; request: PendingStore } | null = null;

  constructor(
    private readonly ledger: SharedFlagLedger,
    private readonly report: (violation: Violation) => void,
  ) {}

  get exists(): number {
    return this.uids.length;
  }

  /** UIDs the client knows, in sequence order. */
  knownUids(): number[] {
    return this.uids.filter((uid): uid is number => uid !== null);
  }

  /** A new SELECT: nothing of the previous mailbox applies. */
  reset(): void {
    this.knownFlags = new Set();
    this.uids = [];
    this.modseqs.clear();
    this.expunged.clear();
    this.store = null;
  }

  beginStore(uids: readonly number[], request: PendingStore): void {
    this.store = { uids: new Set(uids), request };
  }

  endStore(): void {
    this.store = null;
  }

  flags(list: string[]): void {
    this.knownFlags = new Set(list.map((flag) => flag.toUpperCase()));
  }

  existsResponse(count: number): void {
    if (count < this.uids.length) {
      this.report({ kind: 'exists-decrease', detail: `EXISTS ${count} after ${this.uids.length}` });
      this.uids.length = count;
      return;
    }
    while (this.uids.length < count) this.uids.push(null);
  }

  expungeResponse(seq: number): void {
    if (seq < 1 || seq > this.uids.length) {
      this.report({ kind: 'expunge-unknown-seq', detail: `${seq} EXPUNGE with ${this.uids.length} messages` });
      return;
    }
    const [uid] = this.uids.splice(seq - 1, 1);
    if (uid !== null) this.expunged.add(uid);
  }

  fetchResponse(data: FetchData): void {
    const { seq } = data;
    if (seq < 1 || seq > this.uids.length) {
      this.report({ kind: 'fetch-unknown-seq', detail: `${seq} FETCH with ${this.uids.length} messages` });
      return;
    }
    const held = this.uids[seq - 1];
    let uid = data.uid ?? held;
    if (data.uid !== null) {
      if (this.expunged.has(data.uid)) this.report({ kind: 'fetch-expunged', detail: `${seq} FETCH (UID ${data.uid}) after its EXPUNGE` });
      if (held !== null && held !== data.uid) {
        this.report({ kind: 'uid-mismatch', detail: `${seq} FETCH (UID ${data.uid}) where UID ${held} was` });
      } else if (!this.inUidOrder(seq, data.uid)) {
        this.report({ kind: 'uid-mismatch', detail: `${seq} FETCH (UID ${data.uid}) out of UID order` });
      } else {
        this.uids[seq - 1] = data.uid;
      }
      uid = data.uid;
    }
    if (data.flags) {
      for (const flag of data.flags) {
        if (!flag.startsWith('\\') && !this.knownFlags.has(flag.toUpperCase())) {
          this.report({ kind: 'keyword-unannounced', detail: `${flag} in FETCH before FLAGS named it` });
        }
      }
    }
    if (uid === null) return;
    if (data.modseq !== null) {
      const before = this.modseqs.get(uid) ?? 0;
      if (data.modseq < before) this.report({ kind: 'modseq-decrease', detail: `UID ${uid} MODSEQ ${before} -> ${data.modseq}` });
      else this.modseqs.set(uid, data.modseq);
      if (data.flags) {
        const text = normalise(data.flags);
        const other = this.ledger.record(uid, data.modseq, text);
        if (other !== null) this.report({ kind: 'flags-differ', detail: `UID ${uid} MODSEQ ${data.modseq}: (${text}) and (${other})` });
      }
    }
    // Only the STORE's own answer, the first FETCH of the message: another session's later change may follow it.
    if (data.flags && this.store?.uids.delete(uid)) this.checkStore(uid, data.flags, this.store.request);
  }

  private inUidOrder(seq: number, uid: number): boolean {
    for (let i = seq - 2; i >= 0; i--) {
      const below = this.uids[i];
      if (below !== null) {
        if (below >= uid) return false;
        break;
      }
    }
    for (let i = seq; i < this.uids.length; i++) {
      const above = this.uids[i];
      if (above !== null) return above > uid;
    }
    return true;
  }

  private checkStore(uid: number, shown: string[], request: PendingStore): void {
    const has = new Set(shown.map((flag) => flag.toUpperCase()));
    has.delete('\\RECENT');
    const named = request.flags.map((flag) => flag.toUpperCase());
    let good: boolean;
    if (request.operation === 'add') good = named.every((flag) => has.has(flag));
    else if (request.operation === 'remove') good = named.every((flag) => !has.has(flag));
    else good = named.length === has.size && named.every((flag) => has.has(flag));
    if (!good) {
      const sign = request.operation === 'add' ? '+' : request.operation === 'remove' ? '-' : '';
      this.report({ kind: 'store-result', detail: `UID ${uid} ${sign}FLAGS (${request.flags.join(' ')}) answered (${shown.join(' ')})` });
    }
  }
}

/** Flags as one comparable text: upper case, sorted, without \Recent (which differs by session). */
function normalise(flags: readonly string[]): string {
  return flags
    .map((flag) => flag.toUpperCase())
    .filter((flag) => flag !== '\\RECENT')
    .sort()
    .join(' ');
}
