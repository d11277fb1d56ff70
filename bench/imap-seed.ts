// Fills one mailbox of a stopped server's store with many messages quickly, for the IMAP benchmarks: blobs are
// written straight into the blob layout (no fsync) and rows inserted in multi-row INSERTs with the counters the
// store keeps (UIDNEXT, MODSEQ, message/unseen counts, sizes, quota, blob references). Over SMTP or APPEND the
// same 100,000 messages take many minutes; this takes seconds and gives the server the same rows to read.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../core/config/config.loader.js';
import { analyzeMessage } from '../core/mime/analyze-message.js';
import { storedStructureOf } from '../core/mime/message-analysis.types.js';
import { closeDataSources, openDataSources } from '../core/store/data-source.factory.js';
import { AccountEntity } from '../core/store/entities/account.entity.js';
import { BlobEntity } from '../core/store/entities/blob.entity.js';
import { MailboxEntity } from '../core/store/entities/mailbox.entity.js';
import { MessageEntity } from '../core/store/entities/message.entity.js';

/** Rows per INSERT: 20-odd columns each stays under SQLite's and MySQL's placeholder limits. */
const ROWS_PER_INSERT = 400;

export interface SeedOptions {
  address: string;
  mailbox: string;
  count: number;
  /** Raw message number i. */
  message: (i: number) => Buffer;
  /** Whether message i carries \Seen. */
  seen: (i: number) => boolean;
}

/** Seeds `count` messages into the mailbox of an existing account, using the server's environment (data dir, DB URL). */
export async function seedMailbox(env: NodeJS.ProcessEnv, options: SeedOptions): Promise<void> {
  const config = loadConfig({ ...process.env, ...env });
  const blobRoot = config.blobDir ?? join(config.dataDir, 'blobs');
  const sources = await openDataSources(config);
  try {
    const manager = sources.writer.manager;
    const account = await manager.findOneByOrFail(AccountEntity, { address: options.address });
    const mailbox = await manager.findOneByOrFail(MailboxEntity, { accountId: account.id, path: options.mailbox });
    const now = Date.now();
    let uid = mailbox.uidNext;
    let modseq = mailbox.highestModseq;
    let unseen = 0;
    let totalSize = 0;
    await sources.writer.transaction(async (tx) => {
      for (let first = 0; first < options.count; first += ROWS_PER_INSERT) {
        const rows: Partial<MessageEntity>[] = [];
        const blobs: Partial<BlobEntity>[] = [];
        for (let i = first; i < Math.min(options.count, first + ROWS_PER_INSERT); i++) {
          const raw = options.message(i);
          const id = createHash('sha256').update(raw).digest('hex');
          const dir = join(blobRoot, id.slice(0, 2), id.slice(2, 4));
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, id), raw);
          const seen = options.seen(i);
          if (!seen) unseen++;
          totalSize += raw.length;
          modseq++;
          const analysis = await analyzeMessage(raw);
          rows.push({
            accountId: account.id,
            mailboxId: mailbox.id,
            uid: uid++,
            modseq,
            seen,
            answered: false,
            flagged: false,
            deleted: false,
            draft: false,
            keywords: [],
            internalDate: now - (options.count - i) * 1000,
            size: raw.length,
            crlfSize: analysis.crlf.octets,
            lineCount: analysis.crlf.lines,
            blobId: id,
            sentDate: analysis.date ?? now,
            subject: analysis.subject,
            fromAddress: analysis.from,
            messageIdHeader: analysis.messageId,
            preview: analysis.preview,
            hasAttachments: analysis.hasAttachments,
            structure: storedStructureOf(analysis),
            searchText: analysis.searchText,
          });
          blobs.push({ id, size: raw.length, refCount: 1, createdAt: now });
        }
        await tx.createQueryBuilder().insert().into(MessageEntity).values(rows).execute();
        await tx.createQueryBuilder().insert().into(BlobEntity).values(blobs).orIgnore().execute();
      }
      await tx.update(
        MailboxEntity,
        { id: mailbox.id },
        {
          uidNext: uid,
          highestModseq: modseq,
          messageCount: mailbox.messageCount + options.count,
          unseenCount: mailbox.unseenCount + unseen,
          totalSize: mailbox.totalSize + totalSize,
        },
      );
      await tx.update(AccountEntity, { id: account.id }, { usedBytes: account.usedBytes + totalSize });
    });
  } finally {
    await closeDataSources(sources);
  }
}
