import { Injectable } from '@nestjs/common';
import { MailboxArrivalsRepository } from '../store/repositories/mailbox-arrivals.repository.js';
import type { Mailbox } from './mailbox.js';

/**
 * What a client connected to one node needs to learn about messages that arrived through any node: the UIDs
 * committed above the last one it knows, and the IMAP \Recent marker, which lives in the mailbox row so that
 * exactly one session on any node claims each new message.
 */
@Injectable()
export class MailboxArrivalsService {
  constructor(private readonly arrivals: MailboxArrivalsRepository) {}

  /** How many messages are above the mailbox's \Recent marker (STATUS RECENT). */
  countRecent(mailbox: Pick<Mailbox, 'id' | 'recentUid' | 'uidNext'>): Promise<number> {
    return this.arrivals.countRecent(mailbox);
  }

  /**
   * The UIDs above `uid`, ascending. UIDs are allocated under the mailbox row's lock (MySQL) or by the single
   * writer (SQLite), so they commit in UID order: once a UID is visible here, every lower one that will ever
   * exist is visible too.
   */
  uidsAbove(mailboxId: number, uid: number): Promise<number[]> {
    return this.arrivals.uidsAbove(mailboxId, uid);
  }

  /**
   * Raises the mailbox's \Recent marker to `upTo` and returns where it was: the caller alone owns the messages
   * in (previous, upTo]. Nothing is written when another session already claimed them.
   */
  claimRecent(mailboxId: number, upTo: number): Promise<number> {
    return this.arrivals.claimRecent(mailboxId, upTo);
  }
}
