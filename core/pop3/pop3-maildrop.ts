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
   * The content of `message`, read ahead if it was, and starts reading the next `depth` live messages: clients
   * RETR one message after the other, so the blob reads overlap with sending and the client's own work.
   */
  contentWithReadAhead(
    message: MaildropMessage,
    read: (message: MaildropMessage) => Promise<Pop3Content>,
    depth: number,
  ): Promise<Pop3Content> {
    const current = this.readAhead.get(message.number) ?? read(message);
    this.readAhead.delete(message.number);
    for (let number = message.number + 1; number <= Math.min(message.number + depth, this.messages.length); number++) {
      const next = this.messages[number - 1];
      if (next.deleted || this.readAhead.has(number)) continue;
      const pending = read(next);
      // A failed read ahead is reported when (and if) the message is asked for.
      pending.catch(() => undefined);
      this.readAhead.set(number, pending);
    }
    return current;
  }

  /** Octets of the live messages; valid once their sizes are known. */
  liveOctets(): number {
    return this.live().reduce((sum, message) => sum + (message.octets ?? 0), 0);
  }
}
