import type { DeliveryAction } from '../plugin-host/plugin-api.js';

/** Where one recipient's copy goes and with which flags, after its actions were applied in order. */
export interface CopyPlan {
  /** A folder path or a special-use name (`\Junk`); null: INBOX. */
  folder: string | null;
  flags: string[];
  /** Action kinds this delivery does not know (designed, not built), for the log. */
  ignored: string[];
}

/** RFC 9051 §9 flag-keyword = atom, and `\` system flags; bounded so that a plugin cannot grow a row without end. */
const FLAG = /^\\?[!#$&'+\-.0-9A-Z^_`a-z|~]{1,64}$/;
const MAX_FLAGS = 32;

/** Applies the actions in order: the last `fileInto` wins, `setFlags` adds up (invalid flags are left out). */
export function planCopy(actions: readonly DeliveryAction[]): CopyPlan {
  const plan: CopyPlan = { folder: null, flags: [], ignored: [] };
  for (const action of actions) {
    if (action.kind === 'fileInto' && typeof action.mailbox === 'string' && action.mailbox.length > 0) {
      plan.folder = action.mailbox;
    } else if (action.kind === 'setFlags' && Array.isArray(action.flags)) {
      for (const flag of action.flags) {
        if (typeof flag !== 'string' || !FLAG.test(flag) || plan.flags.length >= MAX_FLAGS) continue;
        if (!plan.flags.some((known) => known.toLowerCase() === flag.toLowerCase())) plan.flags.push(flag);
      }
    } else {
      plan.ignored.push(String((action as { kind?: unknown }).kind));
    }
  }
  return plan;
}

/** The Junk folder, as a quarantine decision asks for it. */
export const QUARANTINE: readonly DeliveryAction[] = [{ kind: 'fileInto', mailbox: '\\Junk' }];
