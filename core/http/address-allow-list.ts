import { BlockList, isIP } from 'node:net';

/** `10.0.0.0/8`, `2001:db8::/32` or a single address; null when it is neither. */
function parseEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Validates a list of CIDR ranges (for the config schema); throws naming the first bad entry. */
export function parseCidrList(raw: string): string[] {
  const entries = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const entry of entries) {
    if (!parseEntry(entry)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}

/**
 * Who may reach a guarded surface (WebAdmin and the admin API): anyone when the list is empty, else addresses in one
 * of its ranges. IPv4-mapped IPv6 clients (::ffff:10.1.2.3) match IPv4 ranges.
 */
export class AddressAllowList {
  private readonly ranges: BlockList | null;

  constructor(entries: readonly string[]) {
    if (entries.length === 0) {
      this.ranges = null;
      return;
    }
    this.ranges = new BlockList();
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (parsed) this.ranges.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  allows(remoteAddress: string): boolean {
    if (!this.ranges) return true;
    const plain = remoteAddress.replace(/%.*$/, '');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
    if (mapped) return this.ranges.check(mapped[1]!, 'ipv4');
    const version = isIP(plain);
    return version !== 0 && this.ranges.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }
}
