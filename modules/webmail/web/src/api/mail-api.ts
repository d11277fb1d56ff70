import { graphql } from './graphql-client.js';
import * as op from './operations.js';
import type { Account, Mailbox, MessageDetail, MessagePage, MessageSort, OutgoingMessage, WebLoginResult } from './types.js';

export interface ListRequest {
  mailboxId: string;
  first: number;
  after: string | null;
  query: string;
  sort: MessageSort;
}

export interface FlagChange {
  ids: string[];
  seen?: boolean;
  flagged?: boolean;
}

/** The mail operations of the signed-in user, all through the GraphQL API. */
export interface MailApi {
  logout(): Promise<void>;
  mailboxes(): Promise<Mailbox[]>;
  messages(request: ListRequest): Promise<MessagePage>;
  message(id: string, allowRemoteImages: boolean): Promise<MessageDetail | null>;
  setFlags(change: FlagChange): Promise<void>;
  move(ids: string[], mailboxId: string): Promise<void>;
  remove(ids: string[]): Promise<number>;
  send(message: OutgoingMessage): Promise<void>;
  saveDraft(message: OutgoingMessage): Promise<string>;
  createMailbox(name: string, parentId: string | null): Promise<void>;
  renameMailbox(id: string, name: string): Promise<void>;
  deleteMailbox(id: string): Promise<void>;
  markMailboxRead(id: string): Promise<void>;
}

/**
 * Signs in; the server sets the session cookie (HttpOnly) and the csrf cookie. With two-factor sign-in on, the first
 * call fails with SECOND_FACTOR_REQUIRED and the second brings the code.
 */
export async function login(email: string, password: string, code: string | null = null): Promise<WebLoginResult> {
  return (await graphql<{ webLogin: WebLoginResult }>(op.WEB_LOGIN, { email, password, code })).webLogin;
}

/** The account of the session cookie, to pick the session up again after a reload. */
export async function currentAccount(): Promise<Account> {
  return (await graphql<{ me: Account }>(op.ME)).me;
}

function sendInput(message: OutgoingMessage): Record<string, unknown> {
  const addresses = (list: OutgoingMessage['to']) => list.map(({ name, address }) => (name ? { name, address } : { address }));
  return {
    to: addresses(message.to),
    cc: addresses(message.cc),
    bcc: addresses(message.bcc),
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    attachments: message.attachments,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: message.references } : {}),
    ...(message.replyToMessageId ? { replyToMessageId: message.replyToMessageId } : {}),
    ...(message.draftId ? { draftId: message.draftId } : {}),
    ...(message.from ? { from: { name: message.from.name || null, address: message.from.address } } : {}),
  };
}

export function mailApi(): MailApi {
  const call = <T>(query: string, variables?: Record<string, unknown>) => graphql<T>(query, variables);
  return {
    logout: async () => {
      await call(op.LOGOUT);
    },
    mailboxes: async () => (await call<{ mailboxes: Mailbox[] }>(op.MAILBOXES)).mailboxes,
    messages: async (request) =>
      (
        await call<{ messages: MessagePage }>(op.MESSAGES, {
          mailboxId: request.mailboxId,
          first: request.first,
          after: request.after,
          query: request.query.trim() || null,
          sort: request.sort,
        })
      ).messages,
    message: async (id, allowRemoteImages) =>
      (await call<{ message: MessageDetail | null }>(op.MESSAGE, { id, remote: allowRemoteImages })).message,
    setFlags: async (change) => {
      await call(op.SET_FLAGS, { input: change });
    },
    move: async (ids, mailboxId) => {
      await call(op.MOVE, { ids, mailboxId });
    },
    remove: async (ids) => (await call<{ deleteMessages: number }>(op.DELETE, { ids })).deleteMessages,
    send: async (message) => {
      await call(op.SEND, { input: sendInput(message) });
    },
    saveDraft: async (message) => {
      const { draftId, ...rest } = sendInput(message);
      return (await call<{ saveDraft: { id: string } }>(op.SAVE_DRAFT, { input: { ...rest, ...(draftId ? { draftId } : {}) } })).saveDraft
        .id;
    },
    createMailbox: async (name, parentId) => {
      await call(op.CREATE_MAILBOX, { name, parentId });
    },
    renameMailbox: async (id, name) => {
      await call(op.RENAME_MAILBOX, { id, name });
    },
    deleteMailbox: async (id) => {
      await call(op.DELETE_MAILBOX, { id });
    },
    markMailboxRead: async (id) => {
      await call(op.MARK_MAILBOX_READ, { id });
    },
  };
}
