import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { PendingUpload, UploadLimits } from '../../../core/mail/pending-upload.js';
import { UploadsService, type LoadOutcome, type UploadOutcome } from '../../../core/mail/uploads.service.js';
import { WEBMAIL_OPTIONS, type WebmailOptions } from '../webmail.options.js';

export type { LoadedUpload, LoadOutcome, UploadedFile, UploadOutcome, UploadRefusal } from '../../../core/mail/uploads.service.js';

/** The webmail's attachment uploads: core's uploads under the limits an operator sets for the webmail. */
@Injectable()
export class UploadService {
  private readonly limits: UploadLimits;

  constructor(
    private readonly uploads: UploadsService,
    @Inject(WEBMAIL_OPTIONS) options: WebmailOptions,
  ) {
    this.limits = {
      maxBytes: options.uploadLimitBytes,
      maxCount: options.uploadMaxCount,
      maxTotalBytes: options.uploadMaxTotalBytes,
      lifetimeMs: options.uploadLifetimeMs,
    };
  }

  upload(accountId: number, body: Readable, filename: string, contentType: string, declaredLength: number | null): Promise<UploadOutcome> {
    return this.uploads.upload(this.limits, accountId, body, filename, contentType, declaredLength);
  }

  load(accountId: number, ids: readonly string[]): Promise<LoadOutcome> {
    return this.uploads.load(this.limits, accountId, ids);
  }

  consume(rows: readonly PendingUpload[]): Promise<void> {
    return this.uploads.consume(rows);
  }

  purge(accountId: number | null, maxBatches = 1): Promise<number> {
    return this.uploads.purge(this.limits, accountId, maxBatches);
  }
}
