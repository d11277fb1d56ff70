import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client address stands for in per-client limits: an IPv4 address itself (also when written as
 * IPv4-mapped IPv6), an IPv6 address's /64. A single IPv6 host is usually given a whole /64, so counting addresses
 * would let it open as many connections, and make as many login attempts, as it likes.
 */
export function clientNetwork(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  return `${ipv6Groups(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap(fromIPv4Tail) : []);
  const start = groups(head);
  const end = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - start.length - end.length).fill('0');
  return [...start, ...zeros, ...end].map((group) => parseInt(group, 16).toString(16));
}

/** An embedded IPv4 tail (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`) as its two groups. */
function fromIPv4Tail(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a, b, c, d] = group.split('.').map(Number);
  return [((a! << 8) | b!).toString(16), ((c! << 8) | d!).toString(16)];
}
