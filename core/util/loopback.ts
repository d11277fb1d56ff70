/** Whether an IP address (IPv4, IPv6 or IPv4-mapped IPv6) is on the loopback interface, where nobody can listen in. */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./i.test(address);
}
