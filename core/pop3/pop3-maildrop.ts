/** One message of the maildrop as fixed at login (RFC 1939 §5: numbers and sizes do not change during a session). */
export interface MaildropMessage {
  /** 1-based message number. */
  readonly number: number;
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

  /** Octets of the live messages; valid once their sizes are known. */
  liveOctets(): number {
    return this.live().reduce((sum, message) => sum + (message.octets ?? 0), 0);
  }
}
