import { clientNetwork } from '../util/client-network.js';

/**
 * Open connections per client address (an IPv6 client's /64) for one protocol, across all of its ports: a
 * per-client cap, unlike a listener's maxConnections, which one client could fill alone.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts the connection in; false (and not counted) when the address is at its limit. */
  acquire(address: string): boolean {
    const network = clientNetwork(address);
    const count = this.open.get(network) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(network, count + 1);
    return true;
  }

  release(address: string): void {
    const network = clientNetwork(address);
    const count = (this.open.get(network) ?? 0) - 1;
    if (count > 0) this.open.set(network, count);
    else this.open.delete(network);
  }
}
