import { Inject, Injectable } from '@nestjs/common';
import type { MailhiveConfig } from '../config/config.schema.js';
import { MAILHIVE_CONFIG } from '../config/config.token.js';
import { PluginHost } from '../plugin-host/plugin-host.service.js';
import type { RecipientResult } from './delivery-result.js';
import { buildDsn, type DsnAction } from './dsn-builder.js';
import { wantsNotice, type DsnNotify, type RecipientDsn } from '../envelope/dsn-params.js';

/** The queue row (or accepted message) a report is about: its envelope sender, arrival and DSN parameters. */
export interface ReportSubject {
  /** The envelope sender to report to; '' (a bounce itself) gets no report. */
  sender: string;
  /** When Mailhive accepted the message. */
  createdAt: number;
  dsnRet?: 'FULL' | 'HDRS' | null;
  dsnEnvid?: string | null;
  dsnRecipients?: Readonly<Record<string, RecipientDsn>> | null;
  expiresAt?: number;
}

/** One recipient's outcome and what the report says of it. */
export interface Notice {
  result: RecipientResult;
  action: DsnAction;
}

/** RFC 3461 §4.1: which NOTIFY value asks for a report of each action. */
const NOTIFY_FOR: Record<DsnAction, DsnNotify> = { failed: 'FAILURE', delayed: 'DELAY', delivered: 'SUCCESS', relayed: 'SUCCESS' };

/**
 * Writes RFC 3464 delivery reports: only for the recipients whose NOTIFY asks for the action (failures alone when
 * NOTIFY was not given), none for a message with a null sender (itself a report), none when `queue.bounce`
 * discards it. Sending the report is delivery's job (DeliveryService.report).
 */
@Injectable()
export class DeliveryReportService {
  constructor(
    private readonly plugins: PluginHost,
    @Inject(MAILHIVE_CONFIG) private readonly config: MailhiveConfig,
  ) {}

  /** The report for these notices, or null when none is due; `original` is read only when one is. */
  async compose(
    row: ReportSubject,
    notices: readonly Notice[],
    original: Buffer | (() => Promise<Buffer>),
    expired: boolean,
  ): Promise<{ dsn: Buffer; due: Notice[] } | null> {
    if (row.sender === '') return null;
    const dsnOf = (recipient: string) => row.dsnRecipients?.[recipient.toLowerCase()];
    const due = notices.filter((notice) => wantsNotice(dsnOf(notice.result.recipient), NOTIFY_FOR[notice.action]));
    if (due.length === 0) return null;
    for (const notice of due) {
      if (notice.action !== 'failed' || !this.plugins.has('queue.bounce')) continue;
      const { decision } = await this.plugins.run('queue.bounce', {
        sender: row.sender,
        recipient: notice.result.recipient,
        reason: notice.result.response,
      });
      if (decision.action === 'discard') return null;
    }
    const dsn = buildDsn({
      hostname: this.config.hostname,
      sender: row.sender,
      original: Buffer.isBuffer(original) ? original : await original(),
      recipients: due.map((notice) => ({
        ...notice,
        orcpt: dsnOf(notice.result.recipient)?.orcpt ?? null,
        willRetryUntil: notice.action === 'delayed' ? row.expiresAt : undefined,
      })),
      ret: row.dsnRet ?? null,
      envid: row.dsnEnvid ?? null,
      arrivalDate: row.createdAt,
      expired,
    });
    return { dsn, due };
  }
}
