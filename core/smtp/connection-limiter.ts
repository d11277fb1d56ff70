/** Open connections per client address across every SMTP port (a per-address cap, unlike smtp-server's maxClients). */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts the connection in; false (and not counted) when the address is at its limit. */
  acquire(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.open.get(address) ?? 0) - 1;
    if (count > 0) this.open.set(address, count);
    else this.open.delete(address);
  }
}
