import type { EmailAddress } from '../api/types.js';
import { formatAddress } from './addresses.js';

const KEY = 'mailhive.contacts';
const LIMIT = 500;

/** People the user corresponded with, most recent first, kept in this browser for recipient autocomplete. */
export function loadContacts(storage: Pick<Storage, 'getItem'>): EmailAddress[] {
  try {
    const list = JSON.parse(storage.getItem(KEY) ?? '[]') as EmailAddress[];
    return Array.isArray(list) ? list.filter((entry) => typeof entry?.address === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds addresses at the front, without duplicates, keeping a name when one is known. */
export function mergeContacts(known: readonly EmailAddress[], seen: readonly EmailAddress[]): EmailAddress[] {
  const byAddress = new Map<string, EmailAddress>();
  for (const entry of [...seen, ...known]) {
    const key = entry.address.toLowerCase();
    const previous = byAddress.get(key);
    if (!previous) byAddress.set(key, entry);
    else if (!previous.name && entry.name) byAddress.set(key, { ...previous, name: entry.name });
  }
  return [...byAddress.values()].slice(0, LIMIT);
}

export function saveContacts(storage: Pick<Storage, 'setItem'>, contacts: readonly EmailAddress[]): void {
  try {
    storage.setItem(KEY, JSON.stringify(contacts));
  } catch {
    // storage full or disabled: autocomplete falls back to this page's contacts
  }
}

/** Up to `limit` contacts whose name or address contains the typed text (case-insensitive). */
export function suggestContacts(contacts: readonly EmailAddress[], typed: string, limit = 6): EmailAddress[] {
  const needle = typed.trim().toLowerCase();
  if (!needle) return [];
  return contacts.filter((contact) => formatAddress(contact).toLowerCase().includes(needle)).slice(0, limit);
}

/** Replaces the entry being typed (after the last comma or semicolon) by the chosen contact. */
export function completeRecipient(field: string, contact: EmailAddress): string {
  const cut = Math.max(field.lastIndexOf(','), field.lastIndexOf(';'));
  const head = cut >= 0 ? `${field.slice(0, cut + 1)} ` : '';
  return `${head}${formatAddress(contact)}, `;
}

/** The entry being typed: what follows the last separator. */
export function currentEntry(field: string): string {
  const cut = Math.max(field.lastIndexOf(','), field.lastIndexOf(';'));
  return field.slice(cut + 1);
}
