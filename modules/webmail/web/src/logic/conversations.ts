import type { MessageSummary } from '../api/types.js';

const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|回复|答复|转发)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/** "Re: Fwd: Hello" → "hello": the subject a conversation shares. */
export function baseSubject(subject: string): string {
  return subject.replace(REPLY_PREFIX, '').trim().toLowerCase();
}

export interface Conversation {
  /** The messages, in list order (the first is the one the list shows). */
  messages: MessageSummary[];
}

/**
 * Groups a list into conversations: messages with the same threadId (the server's, from References and
 * In-Reply-To) belong together, and so does a reply or forward without those headers whose subject, without its
 * "Re:", is that of another message (RFC 5256 §2.2's fallback). The list order is kept.
 */
export function groupConversations(rows: readonly MessageSummary[]): Conversation[] {
  const byThread = new Map<string, Conversation>();
  const bySubject = new Map<string, Conversation>();
  const result: Conversation[] = [];
  for (const row of rows) {
    const subject = baseSubject(row.subject);
    const isReply = REPLY_PREFIX.test(row.subject);
    const found = byThread.get(row.threadId) ?? (isReply && subject ? bySubject.get(subject) : undefined);
    const conversation = found ?? { messages: [] };
    if (!found) result.push(conversation);
    conversation.messages.push(row);
    byThread.set(row.threadId, conversation);
    if (subject && !bySubject.has(subject)) bySubject.set(subject, conversation);
  }
  // A thread whose first message comes later in the list may have started its own group under the same subject:
  // that is fine, only replies follow a subject.
  return result;
}
