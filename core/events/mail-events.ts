/** Typed change events; IMAP IDLE sessions and GraphQL subscriptions listen to every one of them. */
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

/** The organisation structure changed (a feature module's departments, memberships or lists); caches on every node drop what they hold. */
export interface OrgChanged {
  kind: 'department' | 'membership';
  change: string;
  departmentId: number | null;
  accountId: number | null;
}

/** A plugin's settings changed (enabled, configuration, reload): every node re-reads them. */
export interface PluginChanged {
  plugin: string;
  reload: boolean;
  /** The process that made the change (it applied it already). */
  origin: string;
}

/** An app password was revoked: every node closes the IMAP and POP3 sessions it opened. */
export interface CredentialRevoked {
  accountId: number;
  credentialId: number;
}

export interface MailEventMap {
  'message.added': MessageAdded;
  'flags.changed': FlagsChanged;
  'message.expunged': MessageExpunged;
  'mailbox.changed': MailboxChanged;
  'org.changed': OrgChanged;
  'plugin.changed': PluginChanged;
  'credential.revoked': CredentialRevoked;
}

export type MailEventName = keyof MailEventMap;
