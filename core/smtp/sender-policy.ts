import { parseAddress } from '../accounts/address.js';
import type { RecipientResolver } from '../mail/recipient-resolver.service.js';
import { parseAddressList } from '../mime/address.parser.js';
import { fieldValue, parseHeader } from '../mime/header.parser.js';
import type { AccountEntity } from '../store/entities/account.entity.js';

/**
 * An authenticated user may send as their own address or as an address that delivers to them (an alias, or a
 * list they are on). Anything else is a forged sender.
 */
export async function ownsAddress(recipients: RecipientResolver, account: AccountEntity, address: string): Promise<boolean> {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  if (parsed.normalized === account.address) return true;
  const resolution = await recipients.resolve(parsed.normalized);
  return resolution.kind === 'local' && resolution.accounts.some((owner) => owner.id === account.id);
}

/** The addresses of the From header fields in a message head; null when there is no From field. */
export function fromAddresses(head: Buffer): string[] | null {
  const header = parseHeader(head, 0, head.length);
  const fields = header.fields.filter((field) => field.name === 'from');
  if (fields.length === 0) return null;
  const result: string[] = [];
  for (const field of fields) {
    for (const entry of parseAddressList(fieldValue(head, field))) {
      if (entry.mailbox && entry.host) result.push(`${entry.mailbox}@${entry.host}`);
    }
  }
  return result;
}
