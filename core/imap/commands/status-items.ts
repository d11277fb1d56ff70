import type { MailboxInfo } from '../imap-backend.js';
import type { CommandContext } from '../imap-command.js';
import { BadArguments } from '../protocol/command-args.js';
import type { ImapValue } from '../protocol/imap-values.js';
import { atom, type OutValue } from '../protocol/imap-writer.js';
import { enableCondstore } from './command-helpers.js';

export type StatusItem =
  'MESSAGES' | 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN' | 'RECENT' | 'SIZE' | 'HIGHESTMODSEQ' | 'DELETED' | 'APPENDLIMIT';
const ITEMS = new Set<string>([
  'MESSAGES',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'RECENT',
  'SIZE',
  'HIGHESTMODSEQ',
  'DELETED',
  'APPENDLIMIT',
]);

export function parseStatusItems(items: readonly ImapValue[]): StatusItem[] {
  if (items.length === 0) throw new BadArguments('Empty STATUS item list');
  return items.map((item) => {
    const name = item.kind === 'atom' ? item.value.toUpperCase() : '';
    if (!ITEMS.has(name)) throw new BadArguments(`Unknown STATUS item ${name.slice(0, 20)}`);
    return name as StatusItem;
  });
}

/** `* STATUS name (MESSAGES 3 UIDNEXT 4)` from the kept counters (RFC 3501 §6.3.10, RFC 8438 SIZE). */
export async function statusResponse(ctx: CommandContext, mailbox: MailboxInfo, items: readonly StatusItem[]): Promise<OutValue[]> {
  if (items.includes('HIGHESTMODSEQ')) enableCondstore(ctx);
  const values: OutValue[] = [];
  for (const item of items) {
    values.push(atom(item));
    switch (item) {
      case 'MESSAGES':
        values.push(mailbox.messageCount);
        break;
      case 'UIDNEXT':
        values.push(mailbox.uidNext);
        break;
      case 'UIDVALIDITY':
        values.push(mailbox.uidValidity);
        break;
      case 'UNSEEN':
        values.push(mailbox.unseenCount);
        break;
      // RFC 9051 dropped \Recent: an IMAP4rev2 client is told 0.
      case 'RECENT':
        values.push(ctx.session.rev2 ? 0 : await ctx.backend.countRecent(mailbox));
        break;
      case 'SIZE':
        values.push(mailbox.totalSize);
        break;
      case 'HIGHESTMODSEQ':
        values.push(mailbox.highestModseq);
        break;
      case 'DELETED':
        values.push(await ctx.backend.countDeleted(mailbox.id));
        break;
      case 'APPENDLIMIT':
        values.push(ctx.backend.appendLimit);
        break;
    }
  }
  return [atom('STATUS'), ctx.encodeMailbox(mailbox.path), values];
}
