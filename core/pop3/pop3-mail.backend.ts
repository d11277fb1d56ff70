import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LeaseService } from '../leases/lease.service.js';
import { LOGGER } from '../logging/logger.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { MessageService } from '../mail/message.service.js';
import type { Pop3AuthOutcome, Pop3Backend, Pop3Commit, Pop3Content, Pop3OpenOutcome } from './pop3-backend.js';
import { Pop3Encoder, pop3Octets } from './pop3-encoder.js';
import { POP3_LIMITS } from './pop3.limits.js';
import { Pop3Maildrop, type MaildropMessage } from './pop3-maildrop.js';

const DAY_MS = 86_400_000;

/** The POP3 backend on Mailhive's mail services: INBOX as maildrop, database leases as the maildrop lock. */
@Injectable()
export class Pop3MailBackend implements Pop3Backend {
  /** Blob id → POP3 size. Blobs are content-addressed and never change, so an entry never goes stale. */
  private readonly octetsCache = new Map<string, number>();

  constructor(
    private readonly auth: AuthService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
    private readonly leases: LeaseService,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async authenticate(username: string, password: string, remoteAddress: string): Promise<Pop3AuthOutcome> {
    const result = await this.auth.authenticate({ username, password, remoteAddress, protocol: 'pop3' });
    return result.ok
      ? { ok: true, accountId: result.account.id, address: result.account.address, credentialId: result.credentialId }
      : { ok: false, reason: result.reason };
  }

  async openMaildrop(accountId: number, owner: string): Promise<Pop3OpenOutcome> {
    const inbox = await this.mailboxes.find(accountId, 'INBOX');
    if (!inbox) return { ok: false, code: 'SYS/TEMP', text: 'the account has no INBOX' };
    const lease = { name: `pop3:maildrop:${inbox.id}`, owner };
    if (!(await this.leases.acquire(lease.name, owner, this.lockTtlMs()))) {
      return { ok: false, code: 'IN-USE', text: 'another POP3 session is using this maildrop' };
    }
    const delay = this.config.pop3LoginDelaySeconds;
    // RFC 2449 §6.8: the delay lease is never released; it simply expires, on every node at once.
    if (delay > 0 && !(await this.leases.acquire(`pop3:login-delay:${accountId}`, owner, delay * 1000))) {
      await this.leases.release(lease.name, owner);
      return { ok: false, code: 'LOGIN-DELAY', text: `at most one login every ${delay} seconds` };
    }
    try {
      const hideBefore = this.config.pop3HideOlderThanDays > 0 ? Date.now() - this.config.pop3HideOlderThanDays * DAY_MS : 0;
      const rows = (await this.messages.list(inbox.id)).filter((row) => row.internalDate >= hideBefore);
      const messages: MaildropMessage[] = rows.map((row, index) => ({
        number: index + 1,
        uid: row.uid,
        blobId: row.blobId,
        storedSize: row.size,
        octets: this.octetsCache.get(row.blobId) ?? null,
        deleted: false,
        retrieved: false,
      }));
      return { ok: true, maildrop: new Pop3Maildrop(accountId, inbox.id, inbox.uidValidity, lease, messages) };
    } catch (error) {
      await this.leases.release(lease.name, owner);
      throw error;
    }
  }

  renewLock(maildrop: Pop3Maildrop): Promise<boolean> {
    return this.leases.renew(maildrop.lease.name, maildrop.lease.owner, this.lockTtlMs());
  }

  lockTtlMs(): number {
    return this.config.pop3LockSeconds * 1000;
  }

  async closeMaildrop(maildrop: Pop3Maildrop, commit: Pop3Commit | null): Promise<{ expunged: number }> {
    try {
      let expunged = 0;
      if (commit && commit.seen.length > 0) {
        await this.messages.setFlags(maildrop.accountId, maildrop.mailboxId, commit.seen, 'add', ['\\Seen']);
      }
      if (commit && commit.expunge.length > 0) {
        // Through the mail service, so IMAP sessions, the expunge log and the quota see it.
        expunged = (await this.messages.expunge(maildrop.accountId, maildrop.mailboxId, { uids: commit.expunge, ignoreDeletedFlag: true }))
          .length;
      }
      return { expunged };
    } finally {
      await this.leases.release(maildrop.lease.name, maildrop.lease.owner).catch((error: unknown) => {
        this.logger.warn({ err: error, lease: maildrop.lease.name }, 'releasing the POP3 maildrop lease failed; it will expire');
      });
    }
  }

  async measure(messages: readonly MaildropMessage[]): Promise<void> {
    const missing = messages.filter((message) => message.octets === null);
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const message = missing[next++];
        const cached = this.octetsCache.get(message.blobId);
        if (cached !== undefined) {
          message.octets = cached;
          continue;
        }
        const content = await this.content(message);
        if (content === null) message.octets = 0;
        else if (content.kind === 'buffer') message.octets = this.remember(message.blobId, pop3Octets(content.raw));
        else message.octets = this.remember(message.blobId, await streamedOctets(content.open()));
      }
    };
    await Promise.all(Array.from({ length: Math.min(POP3_LIMITS.sizeReadConcurrency, missing.length) }, worker));
  }

  async content(message: MaildropMessage): Promise<Pop3Content> {
    if (message.storedSize > POP3_LIMITS.wholeMessageOctets) {
      return { kind: 'stream', open: () => this.messages.streamRaw(message.blobId) };
    }
    try {
      const raw = await this.messages.readRaw(message.blobId);
      if (message.octets === null) message.octets = this.remember(message.blobId, pop3Octets(raw));
      return { kind: 'buffer', raw };
    } catch (error) {
      // Expunged by IMAP and swept meanwhile.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private remember(blobId: string, octets: number): number {
    if (this.octetsCache.size >= POP3_LIMITS.sizeCacheEntries) {
      const oldest = this.octetsCache.keys().next();
      if (!oldest.done) this.octetsCache.delete(oldest.value);
    }
    this.octetsCache.set(blobId, octets);
    return octets;
  }
}

async function streamedOctets(stream: Readable): Promise<number> {
  const encoder = new Pop3Encoder({ stuffDots: false, bodyLines: null });
  let octets = 0;
  for await (const chunk of stream) for (const part of encoder.push(chunk as Buffer)) octets += part.length;
  for (const part of encoder.end()) octets += part.length;
  return octets;
}
