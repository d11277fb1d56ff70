/** Typed change events. Every surface (IMAP IDLE, GraphQL subscriptions, POP3, webhooks) listens to these. */
export interface MessageAdded {
  accountId: number;
  mailboxId: number;
  messageId: number;
  uid: number;
  modseq: number;
}

export interface FlagsChanged {
  accountId: number;
  mailboxId: number;
  modseq: number;
  changes: { messageId: number; uid: number; modseq: number; flags: string[] }[];
}

export interface MessageExpunged {
  accountId: number;
  mailboxId: number;
  modseq: number;
  uids: number[];
  messageIds: number[];
}

export interface MailboxChanged {
  accountId: number;
  mailboxId: number;
  change: 'created' | 'renamed' | 'deleted' | 'subscription';
  path: string;
}

export interface MessageDelivered {
  /** Raw message blob. */
  blobId: string;
  sender: string;
  /** Local recipients with the message row created for each. */
  deliveries: { accountId: number; mailboxId: number; messageId: number; recipient: string }[];
}

export interface MailEventMap {
  'message.added': MessageAdded;
  'flags.changed': FlagsChanged;
  'message.expunged': MessageExpunged;
  'mailbox.changed': MailboxChanged;
  'message.delivered': MessageDelivered;
}

export type MailEventName = keyof MailEventMap;
