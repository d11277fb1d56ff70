import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { AuthService } from '../accounts/auth.service.js';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { LeaseService } from '../leases/lease.service.js';
import { LOGGER } from '../logging/logger.js';
import { MailboxService } from '../mail/mailbox.service.js';
import { MessageContentReader } from '../mail/message-content.reader.js';
import { MessageService } from '../mail/message.service.js';
import type { Pop3AuthOutcome, Pop3Backend, Pop3Commit, Pop3Content, Pop3OpenOutcome } from './pop3-backend.js';
import { crlfMeasure, type CrlfMeasure } from '../mime/line-ends.js';
import { Pop3Encoder } from './pop3-encoder.js';
import { pop3BlobReadsTotal } from './pop3-metrics.js';
import { POP3_LIMITS } from './pop3.limits.js';
import { Pop3Maildrop, type MaildropMessage } from './pop3-maildrop.js';

const DAY_MS = 86_400_000;
const LF = 0x0a;

/** The POP3 backend on Mailhive's mail services: INBOX as maildrop, database leases as the maildrop lock. */
@Injectable()
export class Pop3MailBackend implements Pop3Backend {
  constructor(
    private readonly auth: AuthService,
    private readonly mailboxes: MailboxService,
    private readonly messages: MessageService,
    private readonly reader: MessageContentReader,
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
        messageId: row.id,
        uid: row.uid,
        blobId: row.blobId,
        storedSize: row.size,
        octets: row.crlfSize,
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
    const measured: { messageId: number; measure: CrlfMeasure }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const message = missing[next++];
        pop3BlobReadsTotal.inc({ purpose: 'size' });
        const measure = await this.measureBlob(message);
        message.octets = measure?.octets ?? 0;
        if (measure) measured.push({ messageId: message.messageId, measure });
      }
    };
    await Promise.all(Array.from({ length: Math.min(POP3_LIMITS.sizeReadConcurrency, missing.length) }, worker));
    // Written back once, so no later session (on any node, after any restart) reads these blobs for their sizes.
    if (measured.length > 0) await this.messages.recordCrlfMeasures(measured);
  }

  async contents(messages: readonly MaildropMessage[]): Promise<Pop3Content[]> {
    pop3BlobReadsTotal.inc({ purpose: 'content' }, messages.length);
    const small = messages.filter((message) => message.storedSize <= POP3_LIMITS.wholeMessageOctets);
    let raws: (Buffer | null)[];
    try {
      raws = await this.reader.readMany(small.map((message) => message.blobId));
    } catch {
      // One blob of the batch is gone (expunged by IMAP and swept meanwhile): read them one by one to know which.
      raws = await Promise.all(small.map((message) => this.messages.readRaw(message.blobId).catch(goneAsNull)));
    }
    const bySmall = new Map(small.map((message, index) => [message, raws[index]]));
    return messages.map((message): Pop3Content => {
      if (!bySmall.has(message)) return { kind: 'stream', open: () => this.messages.streamRaw(message.blobId) };
      const raw = bySmall.get(message);
      if (!raw) return null;
      if (message.octets === null) message.octets = crlfMeasure(raw).octets;
      return { kind: 'buffer', raw };
    });
  }

  /** The CRLF size and lines of a message's blob; null when the blob is gone. */
  private async measureBlob(message: MaildropMessage): Promise<CrlfMeasure | null> {
    try {
      if (message.storedSize <= POP3_LIMITS.wholeMessageOctets) return crlfMeasure(await this.messages.readRaw(message.blobId));
      return await streamedMeasure(this.messages.streamRaw(message.blobId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

function goneAsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}

/** crlfMeasure of a large blob, chunk by chunk: a line end split between chunks is seen across them. */
async function streamedMeasure(stream: Readable): Promise<CrlfMeasure> {
  const encoder = new Pop3Encoder({ stuffDots: false, bodyLines: null });
  let octets = 0;
  let lines = 0;
  for await (const chunk of stream) {
    for (const part of encoder.push(chunk as Buffer)) octets += part.length;
    for (let i = (chunk as Buffer).indexOf(LF); i !== -1; i = (chunk as Buffer).indexOf(LF, i + 1)) lines++;
  }
  const tail = encoder.end();
  for (const part of tail) octets += part.length;
  if (tail.length > 0) lines++;
  return { octets, lines };
}
