import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { MessageDsn, RecipientDsn } from '../envelope/dsn-params.js';

/** Recipients that share one transaction to the next hop, with the DSN parameters to send for them. */
export interface DsnTransaction {
  recipients: string[];
  dsn?: SMTPConnection.DSNOptions;
}

/**
 * Splits a message's recipients into transactions by their NOTIFY and ORCPT (RFC 3461 §6.2: passed on
 * unchanged to a server that supports DSN). Without DSN parameters, or when the next hop does not support
 * DSN (`dsn` null), all recipients share one transaction.
 */
export function dsnTransactions(recipients: readonly string[], dsn: MessageDsn | null | undefined): DsnTransaction[] {
  if (!dsn) return [{ recipients: [...recipients] }];
  const groups = new Map<string, DsnTransaction>();
  for (const recipient of recipients) {
    const own: RecipientDsn | undefined = dsn.recipients[recipient.toLowerCase()];
    const options: SMTPConnection.DSNOptions = {
      ...(dsn.ret ? { ret: dsn.ret } : {}),
      ...(dsn.envid ? { envid: dsn.envid } : {}),
      ...(own?.notify ? { notify: own.notify.length > 0 ? own.notify : 'NEVER' } : {}),
      ...(own?.orcpt ? { orcpt: onTheWire(own.orcpt) } : {}),
    };
    const key = JSON.stringify([options.notify ?? null, options.orcpt ?? null]);
    const group = groups.get(key) ?? { recipients: [], ...(Object.keys(options).length > 0 ? { dsn: options } : {}) };
    group.recipients.push(recipient);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** RFC 6533 §3: a utf-8 ORCPT carries non-ASCII as \x{HEX} (nodemailer adds the xtext encoding). */
function onTheWire(orcpt: string): string {
  if (!orcpt.startsWith('utf-8;')) return orcpt;
  return orcpt.replace(/[^\x20-\x7e]/gu, (char) => `\\x{${char.codePointAt(0)!.toString(16).toUpperCase()}}`);
}
