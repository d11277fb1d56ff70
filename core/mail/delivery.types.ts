import type { MessageDsn } from '../envelope/dsn-params.js';
import type { DeliveryAction } from '../plugin-host/plugin-api.js';
import type { MailErrorCode } from './mail.errors.js';

/** The surface a message came in through: the `via` label of the delivery metrics, and the log. */
export type DeliveryVia = 'smtp' | 'submission' | 'graphql' | 'bounce';

/** A local account the message goes to: its own address (what message.deliver sees) and the address given for it. */
export interface LocalRecipient {
  accountId: number;
  /** Its INBOX as resolved with the recipient; null if the account has none. */
  inboxId: number | null;
  recipient: string;
  /** The address the sender gave (an alias or list address when it was expanded). */
  rcpt: string;
}

/**
 * The message to store: in memory when small, else the SMTP spool file; `header` replaces the spool file's first
 * `offset` bytes (the header block, when a field had to be renamed).
 */
export type MessageSource = { kind: 'memory'; bytes: Buffer } | { kind: 'spool'; path: string; header: Buffer; offset: number };

export interface DeliveryRequest {
  via: DeliveryVia;
  sessionId?: string;
  /** Envelope sender; '' (a delivery report) is never reported to. */
  sender: string;
  /** Trace header lines to put before the message, CRLF-terminated ('' for none). */
  trace: string;
  source: MessageSource;
  local: readonly LocalRecipient[];
  remote: readonly string[];
  /** Actions for every local copy before message.deliver adds its own (an smtp.data quarantine: Junk). */
  actions?: readonly DeliveryAction[];
  /** RFC 3461 parameters of the envelope, carried into the queue and the delivery reports. */
  dsn?: MessageDsn;
}

/** Why nothing was stored or queued; each surface maps it in one place (SMTP reply, GraphQL error code). */
export type DeliveryRefusal =
  /** The store refused: every local copy over quota (OVERQUOTA), too big (TOOBIG), analysis busy (LIMIT). */
  | { reason: 'mail'; code: MailErrorCode; text: string }
  /** A plugin refused the message (message.send reject or quarantine). */
  | { reason: 'policy'; code?: number; text?: string }
  /** A plugin deferred the message (tempfail of message.send or message.deliver). */
  | { reason: 'tempfail'; text?: string }
  /** A fault of ours (an account without INBOX); the sender may retry. */
  | { reason: 'local-error'; text: string };

export type DeliveryOutcome =
  /** `ms`: time spent writing and analysing the message (`prepare`) and filing it (`file`, until durable). */
  | {
      kind: 'accepted';
      blobId: string;
      stored: number;
      queued: number;
      /** The Message-ID header field's value ('' without one), for the log. */
      messageId: string;
      /** Local recipients whose copy was not stored (plugin reject, quota), each reported to the sender. */
      refused: number;
      ms: { prepare: number; file: number };
    }
  | { kind: 'refused'; refusal: DeliveryRefusal };
