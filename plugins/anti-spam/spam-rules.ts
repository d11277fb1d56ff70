/** One heuristic: a name for the log and the score it adds when it matches. */
export interface SpamRule {
  name: string;
  score(message: ScoredMessage): number;
}

export interface ScoredMessage {
  /** Header fields by lower-case name (first occurrence). */
  headers: Record<string, string>;
  /** Decoded enough for phrase matching: the raw text, lower-cased. */
  text: string;
}

const PHRASES = [
  'viagra',
  'cialis',
  'lottery',
  'you have won',
  'winner',
  '100% free',
  'click here',
  'act now',
  'limited time offer',
  'wire transfer',
  'bitcoin investment',
  'nigerian prince',
  'crypto giveaway',
  'unsubscribe now',
  '免费',
  '中奖',
  '代开发票',
  '发票',
  '贷款',
  '博彩',
  '刷单',
];

function authResult(message: ScoredMessage, method: string, result: string): boolean {
  return new RegExp(`\\b${method}=${result}\\b`, 'i').test(message.headers['authentication-results'] ?? '');
}

export const SPAM_RULES: SpamRule[] = [
  { name: 'upstream_spam_flag', score: (m) => (/^\s*yes\b/i.test(m.headers['x-spam-flag'] ?? '') ? 6 : 0) },
  { name: 'dmarc_fail', score: (m) => (authResult(m, 'dmarc', 'fail') ? 4 : 0) },
  { name: 'spf_fail', score: (m) => (authResult(m, 'spf', 'fail') ? 3 : authResult(m, 'spf', 'softfail') ? 1 : 0) },
  { name: 'dkim_fail', score: (m) => (authResult(m, 'dkim', 'fail') ? 2 : 0) },
  { name: 'missing_message_id', score: (m) => ('message-id' in m.headers ? 0 : 1) },
  { name: 'missing_date', score: (m) => ('date' in m.headers ? 0 : 1) },
  {
    name: 'subject_all_caps',
    score: (m) => {
      const letters = (m.headers.subject ?? '').replace(/[^A-Za-z]/g, '');
      return letters.length >= 10 && letters === letters.toUpperCase() ? 2 : 0;
    },
  },
  {
    name: 'display_name_spoofs_address',
    // "PayPal <x@evil.example>" style names that show another address than the real one.
    score: (m) => {
      const match = /^\s*"?([^"<]*@[^"<\s]*)"?\s*<([^>]+)>/.exec(m.headers.from ?? '');
      return match && match[1].trim().toLowerCase() !== match[2].trim().toLowerCase() ? 3 : 0;
    },
  },
  { name: 'spam_phrases', score: (m) => Math.min(6, PHRASES.filter((phrase) => m.text.includes(phrase)).length * 2) },
];

export interface SpamVerdict {
  score: number;
  matched: string[];
}

export function scoreMessage(message: ScoredMessage): SpamVerdict {
  let score = 0;
  const matched: string[] = [];
  for (const rule of SPAM_RULES) {
    const points = rule.score(message);
    if (points > 0) {
      score += points;
      matched.push(`${rule.name}(${points})`);
    }
  }
  return { score, matched };
}

/** Phrase matching looks at the first 64 KiB only: spam puts its pitch up front, and big attachments cost nothing. */
export function scoredMessage(headers: Record<string, string>, raw: Buffer): ScoredMessage {
  const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { headers: lowered, text: raw.subarray(0, 65536).toString('utf8').toLowerCase() };
}
