/** An attachment uploaded ahead of a sent message or draft: it holds quota and a blob reference until used or expired. */
export interface PendingUpload {
  id: string;
  accountId: number;
  blobId: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: number;
}

/** The bounds a surface that takes uploads sets (the webmail module's options). */
export interface UploadLimits {
  /** Largest single upload in bytes. */
  maxBytes: number;
  /** Uploads one user may hold at once. */
  maxCount: number;
  /** Bytes of uploads one user may hold at once. */
  maxTotalBytes: number;
  /** Uploads older than this are released. */
  lifetimeMs: number;
}
