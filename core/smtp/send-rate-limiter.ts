const WINDOW_MS = 3600_000;

/**
 * Messages per user per hour (sliding window, per node), so that a stolen password cannot send without end.
 * Checked at MAIL FROM, counted when a message is accepted.
 */
export class SendRateLimiter {
  private readonly sent = new Map<number, number[]>();

  constructor(private readonly perHour: number, private readonly now: () => number = Date.now) {}

  allowed(accountId: number): boolean {
    return this.recent(accountId).length < this.perHour;
  }

  record(accountId: number): void {
    const times = this.recent(accountId);
    times.push(this.now());
    this.sent.set(accountId, times);
  }

  private recent(accountId: number): number[] {
    const since = this.now() - WINDOW_MS;
    const times = (this.sent.get(accountId) ?? []).filter((time) => time > since);
    if (times.length === 0) this.sent.delete(accountId);
    else this.sent.set(accountId, times);
    return times;
  }
}
