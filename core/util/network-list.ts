import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A set of networks written as CIDR blocks or single addresses, e.g. `127.0.0.0/8, ::1/128, 192.0.2.7`. */
export class NetworkList {
  private readonly blocks = new BlockList();

  /** Throws with a message naming the first entry that is not an address or CIDR block. */
  constructor(readonly entries: readonly string[]) {
    for (const entry of entries) this.add(entry);
  }

  /** Whether the address (IPv4, IPv6 or IPv4-mapped IPv6, with or without a zone) is in one of the networks. */
  has(address: string): boolean {
    const plain = address.replace(/%.*$/, '');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
    if (mapped) return this.blocks.check(mapped[1]!, 'ipv4');
    if (isIPv4(plain)) return this.blocks.check(plain, 'ipv4');
    return isIPv6(plain) && this.blocks.check(plain, 'ipv6');
  }

  private add(entry: string): void {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    const bits = family === 'ipv4' ? 32 : 128;
    const length = prefix ?? String(bits);
    if (family === null || extra !== undefined || !/^\d{1,3}$/.test(length) || Number(length) > bits) {
      throw new Error(`"${entry}" is not an IP address or CIDR block (examples: 192.0.2.0/24, 2001:db8::/32)`);
    }
    this.blocks.addSubnet(address, Number(length), family);
  }
}
