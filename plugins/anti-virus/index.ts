import { definePlugin } from '../../core/plugin-host/plugin-api.js';
import { scanWithClamd } from './clamd-client.js';

/**
 * Virus scanning at DATA through clamd (INSTREAM): an infected message is refused with 554 5.7.1 or filed into the
 * recipients' Junk folder, as configured. When clamd cannot be asked, the message is deferred (fail closed, 451)
 * or let through unscanned (fail open).
 */
export default definePlugin({
  name: 'anti-virus',
  description: 'scans messages at DATA with clamd',
  config: {
    clamd: { type: 'string', default: '/var/run/clamav/clamd.ctl', help: "clamd's unix socket path, or host:port for TCP" },
    action: { type: 'string', default: 'reject', choices: ['reject', 'quarantine'], help: 'what to do with an infected message' },
    failMode: {
      type: 'string',
      default: 'closed',
      choices: ['closed', 'open'],
      help: 'closed: defer mail while clamd is unavailable; open: accept it unscanned',
    },
    timeoutMs: { type: 'number', default: 15_000, min: 100, max: 120_000, help: 'how long one scan may take' },
    maxBytes: { type: 'number', default: 25 * 1024 * 1024, min: 1024, help: "larger messages are not scanned (clamd's StreamMaxLength)" },
  },
  hooks: {
    'smtp.data': {
      // Before anti-spam and other content checks: an infected message needs no further opinion.
      priority: 50,
      timeoutMs: 125_000,
      handler: async ({ raw, sessionId }, plugin) => {
        const { config } = plugin;
        if (raw.length > config.maxBytes) {
          await plugin.store.increment('unscanned:too-big');
          return undefined;
        }
        const verdict = await scanWithClamd(config.clamd, raw, config.timeoutMs);
        if (verdict.kind === 'clean') {
          await plugin.store.increment('clean');
          return undefined;
        }
        if (verdict.kind === 'error') {
          plugin.log.error('clamd scan failed', { session: sessionId, reason: verdict.reason, failMode: config.failMode });
          await plugin.store.increment('errors');
          return config.failMode === 'open' ? undefined : { action: 'tempfail', text: 'virus scanner unavailable; try again later' };
        }
        plugin.log.warn('virus found', { session: sessionId, signature: verdict.signature, action: config.action });
        await plugin.store.increment('infected');
        if (config.action === 'quarantine') return { action: 'quarantine', text: `virus ${verdict.signature}` };
        return { action: 'reject', code: 554, text: `Message refused: virus found (${verdict.signature})` };
      },
    },
  },
});
