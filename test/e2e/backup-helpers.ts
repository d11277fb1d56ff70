import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import type { MailhiveProcess } from '../support/mailhive-process.js';

export const PASSWORD = 'backup-pass-1';

export async function imapLogin(server: MailhiveProcess, user: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: server.ports.imap,
    secure: false,
    auth: { user, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
    qresync: false,
  });
  await client.connect();
  return client;
}

export interface MessageView {
  uid: number;
  flags: string[];
  modseq: string;
  source: string;
}

export interface MailboxView {
  path: string;
  uidValidity: string;
  uidNext: number;
  highestModseq: string;
  messages: MessageView[];
}

/** What an IMAP client caches of an account: every folder's UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and every message. */
export async function imapView(server: MailhiveProcess, user: string): Promise<MailboxView[]> {
  const client = await imapLogin(server, user);
  try {
    const views: MailboxView[] = [];
    const folders = (await client.list()).map((folder) => folder.path).sort();
    for (const path of folders) {
      const status = await client.status(path, { uidNext: true, uidValidity: true, highestModseq: true, messages: true });
      if (!status) throw new Error(`no STATUS of ${path}`);
      const messages: MessageView[] = [];
      if ((status.messages ?? 0) > 0) {
        const lock = await client.getMailboxLock(path, { readOnly: true });
        try {
          for await (const message of client.fetch('1:*', { uid: true, flags: true, source: true })) {
            // imapflow asks for MODSEQ whenever CONDSTORE is enabled; without it the comparison would be hollow.
            if (message.modseq === undefined) throw new Error('the server sent no MODSEQ');
            messages.push({
              uid: message.uid,
              flags: [...(message.flags ?? [])].sort(),
              modseq: String(message.modseq),
              source: message.source!.toString('base64'),
            });
          }
        } finally {
          lock.release();
        }
      }
      messages.sort((a, b) => a.uid - b.uid);
      views.push({
        path,
        uidValidity: String(status.uidValidity),
        uidNext: status.uidNext ?? 0,
        highestModseq: String(status.highestModseq),
        messages,
      });
    }
    return views;
  } finally {
    await client.logout();
  }
}

/** A message with CRLF line endings; `body` bytes are taken as they are (a GBK body stays GBK). */
export function rawMail(index: number, to: string, body: Buffer = Buffer.from(`Message number ${index}.\r\nSecond line.\r\n`)): Buffer {
  return Buffer.concat([
    Buffer.from(
      `From: <sender@outside.test>\r\nTo: <${to}>\r\nSubject: backup test ${index}\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n` +
        `Message-ID: <backup-${index}-${Math.random().toString(36).slice(2)}@outside.test>\r\nMIME-Version: 1.0\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n\r\n',
    ),
    body,
  ]);
}

/** Delivers messages over the server's SMTP port, one after another on one connection; resolves with how many were accepted. */
export async function deliver(
  server: MailhiveProcess,
  to: string,
  messages: Iterable<Buffer>,
  onEach?: (sent: number) => void,
): Promise<number> {
  const transport = createTransport({
    host: '127.0.0.1',
    port: server.ports.smtp,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxMessages: Infinity,
  });
  let sent = 0;
  try {
    for (const raw of messages) {
      await transport.sendMail({ envelope: { from: 'sender@outside.test', to: [to] }, raw });
      onEach?.(++sent);
    }
  } finally {
    transport.close();
  }
  return sent;
}
