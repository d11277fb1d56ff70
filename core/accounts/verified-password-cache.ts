import { createHmac, randomBytes } from 'node:crypto';

const MAX_ENTRIES = 10_000;

/**
 * Remembers which passwords were verified against which stored hash, so that a client logging in again and again
 * (IMAP clients open several connections, phones reconnect) costs a keyed hash instead of a 50 ms scrypt. An entry
 * holds the stored hash it was verified against: once the password changes (on any node) the entry no longer
 * matches, so nothing needs invalidating. Only successes are remembered, so a wrong password always costs the full
 * KDF. Keys are HMACs under a secret of this process: the cache holds neither a password nor a reusable hash of one.
 */
export class VerifiedPasswordCache {
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, { accountId: number; storedHash: string; expires: number }>();

  constructor(private readonly ttlMs: number) {}

  matches(accountId: number, password: string, storedHash: string, now = Date.now()): boolean {
    if (this.ttlMs <= 0) return false;
    const key = this.key(accountId, password);
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.expires > now && entry.storedHash === storedHash) return true;
    this.entries.delete(key);
    return false;
  }

  remember(accountId: number, password: string, storedHash: string, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    const key = this.key(accountId, password);
    this.entries.delete(key);
    this.entries.set(key, { accountId, storedHash, expires: now + this.ttlMs });
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * Drops every entry of the account. A changed stored hash already stops old entries from matching; this also
   * frees them at once, so no trace of the old password stays in memory after a change.
   */
  forget(accountId: number): void {
    for (const [key, entry] of this.entries) if (entry.accountId === accountId) this.entries.delete(key);
  }

  private key(accountId: number, password: string): string {
    return createHmac('sha256', this.secret).update(`${accountId}\0${password}`).digest('base64');
  }
}
