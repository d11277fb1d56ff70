import type { MessageEntity } from '../store/entities/message.entity.js';

export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;

/** Flag state of a message as stored: system flags as booleans, keywords as a list. */
export interface FlagState {
  seen: boolean;
  answered: boolean;
  flagged: boolean;
  deleted: boolean;
  draft: boolean;
  keywords: string[];
}

export type FlagOperation = 'add' | 'remove' | 'replace';

const FIELD_OF: Record<string, keyof Omit<FlagState, 'keywords'>> = {
  '\\seen': 'seen',
  '\\answered': 'answered',
  '\\flagged': 'flagged',
  '\\deleted': 'deleted',
  '\\draft': 'draft',
};

/** IMAP-style flag list of a message: system flags first, then keywords. */
export function flagList(state: FlagState): string[] {
  const flags: string[] = [];
  if (state.seen) flags.push('\\Seen');
  if (state.answered) flags.push('\\Answered');
  if (state.flagged) flags.push('\\Flagged');
  if (state.deleted) flags.push('\\Deleted');
  if (state.draft) flags.push('\\Draft');
  return flags.concat(state.keywords);
}

/** Splits a flag list into system flags and keywords. `\Recent` and unknown system flags are ignored (RFC 9051 §2.3.2). */
export function parseFlagList(flags: readonly string[]): FlagState {
  const state: FlagState = { seen: false, answered: false, flagged: false, deleted: false, draft: false, keywords: [] };
  for (const flag of flags) {
    if (flag.startsWith('\\')) {
      const field = FIELD_OF[flag.toLowerCase()];
      if (field) state[field] = true;
    } else if (!state.keywords.some((keyword) => keyword.toLowerCase() === flag.toLowerCase())) {
      state.keywords.push(flag);
    }
  }
  return state;
}

export function applyFlags(current: FlagState, operation: FlagOperation, change: FlagState): FlagState {
  if (operation === 'replace') return { ...change, keywords: [...change.keywords] };
  const set = operation === 'add';
  const next: FlagState = { ...current, keywords: [...current.keywords] };
  for (const field of ['seen', 'answered', 'flagged', 'deleted', 'draft'] as const) {
    if (change[field]) next[field] = set;
  }
  for (const keyword of change.keywords) {
    const index = next.keywords.findIndex((existing) => existing.toLowerCase() === keyword.toLowerCase());
    if (set && index < 0) next.keywords.push(keyword);
    if (!set && index >= 0) next.keywords.splice(index, 1);
  }
  return next;
}

export function sameFlags(a: FlagState, b: FlagState): boolean {
  return (
    a.seen === b.seen &&
    a.answered === b.answered &&
    a.flagged === b.flagged &&
    a.deleted === b.deleted &&
    a.draft === b.draft &&
    a.keywords.length === b.keywords.length &&
    a.keywords.every((keyword, i) => keyword === b.keywords[i])
  );
}

export function flagStateOf(message: Pick<MessageEntity, keyof FlagState>): FlagState {
  return {
    seen: message.seen,
    answered: message.answered,
    flagged: message.flagged,
    deleted: message.deleted,
    draft: message.draft,
    keywords: message.keywords,
  };
}
