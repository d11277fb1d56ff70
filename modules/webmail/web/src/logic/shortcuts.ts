export type ShortcutAction =
  | 'next'
  | 'previous'
  | 'open'
  | 'back'
  | 'compose'
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'delete'
  | 'flag'
  | 'markRead'
  | 'markUnread'
  | 'select'
  | 'search'
  | 'help'
  | 'refresh';

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Gmail-like single keys, so users can move over without relearning. */
export const SHORTCUTS: readonly { keys: string; action: ShortcutAction }[] = [
  { keys: 'j / ↓', action: 'next' },
  { keys: 'k / ↑', action: 'previous' },
  { keys: 'o / Enter', action: 'open' },
  { keys: 'u / Esc', action: 'back' },
  { keys: 'c', action: 'compose' },
  { keys: 'r', action: 'reply' },
  { keys: 'a', action: 'replyAll' },
  { keys: 'f', action: 'forward' },
  { keys: '# / Delete', action: 'delete' },
  { keys: 's', action: 'flag' },
  { keys: 'Shift+I', action: 'markRead' },
  { keys: 'Shift+U', action: 'markUnread' },
  { keys: 'x', action: 'select' },
  { keys: '/', action: 'search' },
  { keys: 'g', action: 'refresh' },
  { keys: '?', action: 'help' },
];

const PLAIN: Record<string, ShortcutAction> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  o: 'open',
  Enter: 'open',
  u: 'back',
  Escape: 'back',
  c: 'compose',
  r: 'reply',
  a: 'replyAll',
  f: 'forward',
  '#': 'delete',
  Delete: 'delete',
  s: 'flag',
  x: 'select',
  '/': 'search',
  '?': 'help',
  g: 'refresh',
  I: 'markRead',
  U: 'markUnread',
};

/** The action of a key press outside text fields; modified keys (Ctrl, Cmd, Alt) stay the browser's. */
export function shortcutFor(input: KeyInput): ShortcutAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  const action = PLAIN[input.key];
  if (!action) return null;
  // Shift+I / Shift+U are distinct from i / u; '#' and '?' need Shift on most layouts.
  if ((action === 'markRead' || action === 'markUnread') && !input.shiftKey) return null;
  return action;
}
