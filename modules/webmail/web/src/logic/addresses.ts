import type { EmailAddress } from '../api/types.js';

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/;

/** Splits a recipients field at commas and semicolons that are outside quotes and angle brackets. */
function splitList(input: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const char of input) {
    if (char === '"') quoted = !quoted;
    else if (char === '<' && !quoted) angle = true;
    else if (char === '>' && !quoted) angle = false;
    if ((char === ',' || char === ';') && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

export interface ParsedAddresses {
  addresses: EmailAddress[];
  /** Entries that are not a valid address, as typed. */
  invalid: string[];
}

/** Parses `Alice <alice@example.com>, "Li, Lei" <li@example.cn>; bob@example.com`. */
export function parseAddressList(input: string): ParsedAddresses {
  const addresses: EmailAddress[] = [];
  const invalid: string[] = [];
  for (const entry of splitList(input)) {
    const match = /^(.*?)<([^<>]+)>$/.exec(entry);
    const address = (match ? match[2] : entry).trim();
    const name = match
      ? match[1]
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .trim()
      : '';
    if (ADDRESS.test(address)) addresses.push({ name: name || null, address });
    else invalid.push(entry);
  }
  return { addresses, invalid };
}

/** `Name <address>` (quoted when the name has list separators), or the bare address. */
export function formatAddress(address: EmailAddress): string {
  if (!address.name) return address.address;
  const name = /[",;<>@]/.test(address.name) ? `"${address.name.replace(/"/g, '')}"` : address.name;
  return `${name} <${address.address}>`;
}

export function formatAddressList(addresses: readonly EmailAddress[]): string {
  return addresses.map(formatAddress).join(', ');
}

/** What a list shows for a person: the name when there is one, else the address. */
export function displayName(address: EmailAddress | null | undefined): string {
  return address ? address.name || address.address : '';
}

/** Removes duplicates (case-insensitive address) and the given own addresses, keeping the first spelling. */
export function uniqueAddresses(addresses: readonly EmailAddress[], exclude: readonly string[] = []): EmailAddress[] {
  const seen = new Set(exclude.map((address) => address.toLowerCase()));
  const result: EmailAddress[] = [];
  for (const address of addresses) {
    const key = address.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(address);
  }
  return result;
}
