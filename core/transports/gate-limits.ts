import type { MailhiveConfig } from '../config/config.schema.js';
import { NetworkList } from '../util/network-list.js';
import type { GateLimits } from './connection-gate.js';
import { defaultConnectionCeiling } from './descriptor-limit.js';

/**
 * The gate's limits from the configuration: the per-address caps and the networks exempt from them as set, the ceiling as set or, for `auto`,
 * derived from the process's descriptor limit.
 */
export function gateLimits(config: MailhiveConfig, descriptorLimit: number): GateLimits {
  return {
    ceiling: config.maxConnections === 'auto' ? defaultConnectionCeiling(descriptorLimit) : config.maxConnections,
    perAddress: {
      smtp: config.smtpMaxConnectionsPerAddress,
      imap: config.imapMaxConnectionsPerAddress,
      pop3: config.pop3MaxConnectionsPerAddress,
      http: config.httpMaxConnectionsPerAddress,
    },
    trusted: new NetworkList(config.trustedNetworks),
  };
}
