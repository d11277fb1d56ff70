import type { ImapAccount } from '../imap-backend.js';
import type { SelectedMailbox } from './selected-mailbox.js';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Extensions a client can turn on with ENABLE (RFC 5161). */
export type Enableable = 'CONDSTORE' | 'QRESYNC' | 'UTF8=ACCEPT' | 'IMAP4REV2';

/** Per-connection state; commands read and change it, the dispatcher checks `state`. */
export class ImapSession {
  state: SessionState = 'not-authenticated';
  account: ImapAccount | null = null;
  selected: SelectedMailbox | null = null;
  readonly enabled = new Set<Enableable>();
  /** RFC 7162 §3.1: a CONDSTORE-enabling command was seen; MODSEQ goes into FETCH responses from now on. */
  condstore = false;
  /** Result of the last SEARCH RETURN (SAVE), as UIDs (RFC 5182). */
  savedSearch: number[] = [];
  secure: boolean;
  /** COMPRESS=DEFLATE is on (RFC 4978). */
  compressed = false;
  unsubscribe: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    secure: boolean,
    readonly implicitTls: boolean,
  ) {
    this.secure = secure;
  }

  get utf8(): boolean {
    return this.enabled.has('UTF8=ACCEPT') || this.enabled.has('IMAP4REV2');
  }

  get qresync(): boolean {
    return this.enabled.has('QRESYNC');
  }

  get rev2(): boolean {
    return this.enabled.has('IMAP4REV2');
  }

  /** The selected mailbox; commands allowed only in the selected state may call this. */
  mailbox(): SelectedMailbox {
    if (!this.selected) throw new Error('no mailbox selected');
    return this.selected;
  }

  user(): ImapAccount {
    if (!this.account) throw new Error('not authenticated');
    return this.account;
  }
}
