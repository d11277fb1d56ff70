/** The shapes the client reads from the GraphQL API (schema.gql, issue 6). */
export interface EmailAddress {
  name: string | null;
  address: string;
}

export type SpecialUse = '\\Drafts' | '\\Sent' | '\\Trash' | '\\Junk' | '\\Archive';

export interface Mailbox {
  id: string;
  name: string;
  path: string;
  parentId: string | null;
  specialUse: string | null;
  unreadCount: number;
  totalCount: number;
}

export interface MessageSummary {
  id: string;
  mailboxId: string;
  /** Same for every message of a conversation (References/In-Reply-To). */
  threadId: string;
  subject: string;
  from: EmailAddress | null;
  to: EmailAddress[];
  date: string;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  hasAttachments: boolean;
  preview: string;
  size: number;
}

export interface Attachment {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  url: string;
}

export interface MessageDetail extends MessageSummary {
  cc: EmailAddress[];
  bcc: EmailAddress[];
  inReplyTo: string | null;
  replyTo: EmailAddress[];
  text: string | null;
  html: string | null;
  messageId: string | null;
  references: string[];
  attachments: Attachment[];
}

export interface MessagePage {
  nodes: MessageSummary[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface Account {
  id: string;
  address: string;
  displayName: string;
}

/** What webLogin answers; the session token itself stays in the HttpOnly cookie. */
export interface WebLoginResult {
  csrfToken: string;
  expiresAt: string;
  account: Account;
}

export type MessageSort = 'DATE_DESC' | 'DATE_ASC' | 'ARRIVAL_DESC' | 'ARRIVAL_ASC';

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export type MailEventType = 'MESSAGE_ADDED' | 'FLAGS_CHANGED' | 'MESSAGE_REMOVED' | 'MAILBOX_CHANGED';

export interface MailEvent {
  type: MailEventType;
  mailboxId: string;
  messageId: string | null;
}

export interface OutgoingMessage {
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  subject: string;
  text: string;
  html: string | null;
  attachments: string[];
  inReplyTo: string | null;
  references: string[];
  replyToMessageId: string | null;
  draftId: string | null;
  /** The sender when it is not the account's own address: an alias of it. */
  from?: EmailAddress | null;
}
