import { AccountsService } from '../../core/accounts/accounts.service.js';
import { MailboxService } from '../../core/mail/mailbox.service.js';
import { MessageService } from '../../core/mail/message.service.js';
import type { Account } from '../../core/accounts/account.js';
import type { TestCore } from '../support/test-core.js';

let counter = 0;

/** A small RFC 5322 message, distinct per call unless `body` is given. */
export function rawMessage(options: { subject?: string; body?: string; from?: string } = {}): Buffer {
  counter++;
  return Buffer.from(
    [
      `From: ${options.from ?? 'Sender <sender@remote.example>'}`,
      'To: user@store.example',
      `Subject: ${options.subject ?? `message ${counter}`}`,
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      `Message-ID: <m${counter}.${Date.now()}@remote.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      options.body ?? `Body of message ${counter}.`,
      '',
    ].join('\r\n'),
  );
}

export interface Services {
  accounts: AccountsService;
  mailboxes: MailboxService;
  messages: MessageService;
}

export function services(core: TestCore): Services {
  return {
    accounts: core.context.get(AccountsService),
    mailboxes: core.context.get(MailboxService),
    messages: core.context.get(MessageService),
  };
}

/** A domain and a user with its default folders. */
export async function createUser(core: TestCore, local = 'user', quotaBytes = 0): Promise<Account> {
  const { accounts } = services(core);
  if (!(await accounts.findDomain('store.example'))) await accounts.addDomain('store.example');
  return accounts.addUser({ address: `${local}@store.example`, password: 'password123', quotaBytes });
}
