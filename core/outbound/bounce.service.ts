import { Injectable } from '@nestjs/common';
import { DeliveryService } from '../mail/delivery.service.js';
import type { RecipientResult } from './delivery-result.js';
import type { Notice, ReportSubject } from './delivery-report.service.js';

export type { Notice, ReportSubject } from './delivery-report.service.js';

/**
 * The outbound worker's reports to senders (failed, delayed, relayed). A report is delivered like every other
 * message, through DeliveryService: into a local sender's mailbox through message.deliver, or queued.
 */
@Injectable()
export class BounceService {
  constructor(private readonly delivery: DeliveryService) {}

  /** A failure report for these recipients (`expired`: the queue lifetime ran out). */
  bounce(row: ReportSubject, failed: readonly RecipientResult[], original: Buffer, expired: boolean): Promise<boolean> {
    return this.report(
      row,
      failed.map((result) => ({ result, action: 'failed' })),
      original,
      expired,
    );
  }

  /**
   * Sends one report for the notices the recipients asked for; `original` is read only when one is due.
   * True when a report went out.
   */
  report(row: ReportSubject, notices: readonly Notice[], original: Buffer | (() => Promise<Buffer>), expired = false): Promise<boolean> {
    return this.delivery.report(row, notices, original, expired);
  }
}
