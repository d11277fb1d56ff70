import { domainToASCII } from 'node:url';

export interface ParsedAddress {
  local: string;
  domain: string;
  /** `local@domain` with the domain lower-cased ASCII and the local part lower-cased. */
  normalized: string;
}

/** Parses a bare address (no display name). Returns null when it is not one. */
export function parseAddress(input: string): ParsedAddress | null {
  const value = input.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || value.length > 320) return null;
  const local = value.slice(0, at);
  const domain = normalizeDomain(value.slice(at + 1));
  if (
    !domain ||
    local.length > 64 ||
    /[\s<>(),;:\\"[\]]/.test(local) ||
    local.startsWith('.') ||
    local.endsWith('.') ||
    local.includes('..')
  ) {
    return null;
  }
  return { local: local.toLowerCase(), domain, normalized: `${local.toLowerCase()}@${domain}` };
}

/** Lower-case ASCII (punycode) form of a domain name, or null when it is not one. */
export function normalizeDomain(input: string): string | null {
  const ascii = domainToASCII(input.trim().replace(/\.$/, '').toLowerCase());
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 1 || labels.some((label) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return null;
  return ascii;
}
