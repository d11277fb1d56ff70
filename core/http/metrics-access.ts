import { timingSafeEqual } from 'node:crypto';
import { isLoopback } from '../util/loopback.js';

/**
 * Whether a `/metrics` request may see the figures: from this host (loopback), or carrying
 * `Authorization: Bearer <MAILHIVE_METRICS_TOKEN>` when a token is configured. The figures tell an attacker
 * connection counts, login failures and queue sizes, so the public port answers nobody else.
 */
export function metricsAccessAllowed(remoteAddress: string | undefined, authorization: string | undefined, token: string | null): boolean {
  if (remoteAddress !== undefined && isLoopback(remoteAddress)) return true;
  if (token === null || authorization === undefined) return false;
  const prefix = 'bearer ';
  if (authorization.length <= prefix.length || authorization.slice(0, prefix.length).toLowerCase() !== prefix) return false;
  const offered = Buffer.from(authorization.slice(prefix.length).trim());
  const expected = Buffer.from(token);
  return offered.length === expected.length && timingSafeEqual(offered, expected);
}
