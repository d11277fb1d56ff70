import { availableParallelism } from 'node:os';

/** The named limits of the webmail API. Those an operator may change come from configuration (see webmail.module.ts). */
export interface WebmailOptions {
  /** Largest attachment upload in bytes; the whole message is still bounded by maxMessageSize. */
  uploadLimitBytes: number;
  /** Uploads not used by a sent message within this time are discarded. */
  uploadLifetimeMs: number;
  /** How often expired uploads are looked for and discarded. */
  uploadPurgeIntervalMs: number;
  /** Uploads one user may hold at once (not yet used by a sent message, not yet expired). */
  uploadMaxCount: number;
  /** Bytes of uploads one user may hold at once. */
  uploadMaxTotalBytes: number;
  /** Largest page of `messages(first:)`. */
  maxPageSize: number;
  /** Decoded bytes of an HTML body rendered at most; the rest is cut off (see truncateHtmlBytes) with a notice. */
  htmlInputLimitBytes: number;
  /** Bytes of rendered bodies kept for the next request of the same message. */
  htmlCacheBytes: number;
  /** Worker threads that sanitise HTML bodies and turn them into text. */
  htmlRenderThreads: number;
  /** Bodies waiting for a render thread at most; a request beyond that is refused (TEMPORARY_FAILURE). */
  htmlRenderQueue: number;
  /** A render running longer than this is stopped; the request is refused (TEMPORARY_FAILURE) and may be tried again. */
  htmlRenderTimeoutMs: number;
  /** Heap of one render thread, in MiB. */
  htmlRenderHeapMb: number;
}

export const DEFAULT_WEBMAIL_OPTIONS: WebmailOptions = {
  uploadLimitBytes: 25 * 1024 * 1024,
  uploadLifetimeMs: 24 * 3600_000,
  uploadPurgeIntervalMs: 10 * 60_000,
  uploadMaxCount: 50,
  uploadMaxTotalBytes: 200 * 1024 * 1024,
  maxPageSize: 200,
  // Ten times the size at which common webmail clients clip a message; every byte rendered is also a byte the event
  // loop serialises into the GraphQL answer.
  htmlInputLimitBytes: 1024 * 1024,
  htmlCacheBytes: 64 * 1024 * 1024,
  // One core is left to the event loop, which serves every protocol.
  htmlRenderThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
  htmlRenderQueue: 32,
  htmlRenderTimeoutMs: 20_000,
  htmlRenderHeapMb: 256,
};

/** Path prefix of the HTTP endpoints (attachment downloads, uploads). */
export const WEBMAIL_HTTP_PREFIX = '/api/webmail';

export const WEBMAIL_OPTIONS = Symbol('WEBMAIL_OPTIONS');
