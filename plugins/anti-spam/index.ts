import { definePlugin } from '../../core/plugin-host/plugin-api.js';
import { scoredMessage, scoreMessage } from './spam-rules.js';

/**
 * Rule-based anti-spam: scores each message on header and content heuristics (authentication results, missing
 * fields, spoofed display names, spam phrases). At DATA, a score at or above MAILHIVE_ANTISPAM_REJECT_SCORE (10)
 * is refused with 550; at delivery, one at or above MAILHIVE_ANTISPAM_JUNK_SCORE (5) is filed into Junk.
 */
const junkScore = Number(process.env.MAILHIVE_ANTISPAM_JUNK_SCORE ?? 5);
const rejectScore = Number(process.env.MAILHIVE_ANTISPAM_REJECT_SCORE ?? 10);

export default definePlugin({
  name: 'anti-spam',
  // A broken scorer must not stop mail: failures let the message through unscored.
  failOpen: true,
  hooks: {
    'smtp.data': {
      priority: -10,
      timeoutMs: 2000,
      handler: ({ headers, raw }) => {
        const verdict = scoreMessage(scoredMessage(headers, raw));
        if (verdict.score >= rejectScore) {
          return { action: 'reject', code: 550, text: `Message refused as spam (score ${verdict.score}: ${verdict.matched.join(' ')})` };
        }
        return undefined;
      },
    },
    'message.deliver': {
      priority: -10,
      timeoutMs: 2000,
      handler: ({ headers, raw }) => {
        const verdict = scoreMessage(scoredMessage(headers, raw));
        if (verdict.score >= junkScore) return { action: 'quarantine', text: `spam score ${verdict.score}: ${verdict.matched.join(' ')}` };
        return undefined;
      },
    },
  },
});
