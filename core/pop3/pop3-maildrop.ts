import type { Pop3Content } from './pop3-backend.js';

/** One message of the maildrop as fixed at login (RFC 1939 §5: numbers and sizes do not change during a session). */
export interface MaildropMessage {
  /** 1-based message number. */
  readonly number: number;
  /** The message row's id. */
  readonly messageId: number;
  readonly uid: number;
  readonly blobId: string;
  /** Size of the stored blob; the POP3 size may differ (bare LF → CRLF). */
  readonly storedSize: number;
  /** Octets RETR sends (without dot-stuffing), known once computed. */
  octets: number | null;
  deleted: boolean;
  retrieved: boolean;
}

/** The INBOX snapshot of one POP3 session, with its DELE marks and the lease that keeps it exclusive. */
export class Pop3Maildrop {
  /** Contents read ahead of the client's next RETR, by message number. */
  private readonly readAhead = new Map<number, Promise<Pop3Content>>();

  constructor(
    readonly accountId: number,
    readonly mailboxId: number,
    readonly uidValidity: number,
    /** Name and owner of the database lease held for this maildrop. */
    readonly lease: { name: string; owner: string },
    readonly messages: readonly MaildropMessage[],
  ) {}

  get(number: number): MaildropMessage | undefined {
    return this.messages[number - 1];
  }

  /** Messages not marked deleted, in number order. */
  live(): MaildropMessage[] {
    return this.messages.filter((message) => !message.deleted);
  }

  /**
   * RFC 1939 §7 UIDL: 1-70 characters 0x21-0x7E, never reused. UIDVALIDITY and UID name a message for good,
   * so the same message has the same UIDL in every session and the value can be derived from IMAP data too.
   */
  uidl(message: MaildropMessage): string {
    return `${this.uidValidity}.${message.uid}`;
  }

  /**
   * The content of `message`, read ahead if it was. Clients RETR one message after the other, so the next small
   * messages are read in batches (one blob-store call for many, mostly synchronous reads from the page cache) ahead
   * of the client's next command: a batch starts once fewer than half of `limits.messages` are waiting, and holds at
   * most `limits.messages` messages and `limits.octets` stored octets. A large message (streamed) ends a batch.
   */
  contentWithReadAhead(
    message: MaildropMessage,
    readMany: (messages: readonly MaildropMessage[]) => Promise<Pop3Content[]>,
    limits: { messages: number; octets: number; wholeMessageOctets: number },
  ): Promise<Pop3Content> {
    const current = this.readAhead.get(message.number) ?? readMany([message]).then((contents) => contents[0]);
    this.readAhead.delete(message.number);
    let waiting = 0;
    for (const number of this.readAhead.keys()) {
      // Read for a run the client left (it skipped ahead or went back): dropped, so skipping never piles up contents.
      if (number < message.number) this.readAhead.delete(number);
      else waiting++;
    }
    if (waiting >= limits.messages / 2) return current;
    const batch: MaildropMessage[] = [];
    let octets = 0;
    for (let number = message.number + 1; number <= this.messages.length && batch.length + waiting < limits.messages; number++) {
      const next = this.messages[number - 1];
      if (next.deleted || this.readAhead.has(number)) continue;
      if (next.storedSize > limits.wholeMessageOctets || octets + next.storedSize > limits.octets) break;
      batch.push(next);
      octets += next.storedSize;
    }
    if (batch.length === 0) return current;
    const pending = readMany(batch);
    batch.forEach((item, index) => {
      const content = pending.then((contents) => contents[index]);
      // A failed read ahead is reported when (and if) the message is asked for.
      content.catch(() => undefined);
      this.readAhead.set(item.number, content);
    });
    return current;
  }

  /** Octets of the live messages; valid once their sizes are known. */
  liveOctets(): number {
    return this.live().reduce((sum, message) => sum + (message.octets ?? 0), 0);
  }
}
