/**
 * The plugin API: the only part of Mailhive a plugin may import. A plugin default-exports
 * `definePlugin({ name, hooks })`; each hook receives a typed context and returns a decision or nothing.
 */

/**
 * What delivery does for one local recipient, in order (`message.deliver` returns them with `accept`). One copy is
 * filed per recipient: the last `fileInto` names its folder, by path or by special use (`\Junk`); INBOX when none
 * does, or when the folder does not exist. Every `setFlags` adds its flags: system flags such as `\Seen`, or
 * keywords such as `$Junk` (IMAP atoms; others are left out).
 *
 * Designed, not built yet (the union will grow; a delivery that meets an unknown kind ignores it and logs it):
 * `forward` (queue a copy to another address), `reply` (an automatic answer such as a vacation notice), `hold`
 * (keep the message for a moderator's approval) and `expandList` (deliver to the members of a list).
 */
export type DeliveryAction =
  | { kind: 'fileInto'; mailbox: string }
  | { kind: 'setFlags'; flags: readonly string[] };

export type HookDecision =
  | { action: 'continue' }
  /** `actions`: for `message.deliver` only, what to do with this recipient's copy (see DeliveryAction). */
  | { action: 'accept'; text?: string; actions?: readonly DeliveryAction[] }
  | { action: 'reject'; code?: number; text?: string }
  | { action: 'tempfail'; text?: string }
  | { action: 'quarantine'; text?: string }
  | { action: 'discard'; text?: string };

export interface SessionInfo {
  sessionId: string;
  remoteAddress: string;
  /** Authenticated user, if any. */
  user?: string;
}

export interface HookContextMap {
  'smtp.connect': SessionInfo;
  'smtp.ehlo': SessionInfo & { helo: string };
  'smtp.auth': SessionInfo & { username: string; method: string };
  'smtp.mail': SessionInfo & { sender: string };
  'smtp.rcpt': SessionInfo & { sender: string; recipient: string };
  'smtp.data': SessionInfo & { sender: string; recipients: string[]; headers: Record<string, string>; size: number; raw: Buffer };
  /**
   * Once per local recipient of every message that reaches a mailbox (port 25, submission, GraphQL sendMessage,
   * delivery reports to local senders). `accept` with `actions` files and flags the copy (see DeliveryAction);
   * `quarantine` is `fileInto` the Junk folder; `discard` drops this recipient's copy silently; `reject` drops it
   * and reports the failure to the sender (RFC 3464); `tempfail` refuses the whole message before anything is filed.
   */
  'message.deliver': { sessionId?: string; sender: string; recipient: string; headers: Record<string, string>; size: number; raw: Buffer };
  /** Informational, after the local copies are stored (every path, as message.deliver); the decision is ignored. */
  'message.delivered': { sender: string; recipients: string[]; blobId: string };
  /**
   * Once per message an authenticated user sends (SMTP submission or GraphQL sendMessage), with every recipient,
   * local and remote, before anything is stored or queued. `reject` and `quarantine` refuse the message (outgoing
   * mail has no quarantine), `tempfail` defers it, `discard` accepts it and delivers it to nobody.
   */
  'message.send': { user: string; sender: string; recipients: string[]; headers: Record<string, string>; size: number };
  'queue.bounce': { sender: string; recipient: string; reason: string };
  /**
   * Informational, after every successful password check: a login over IMAP, POP3, SMTP AUTH or GraphQL
   * (`protocol` 'imap' | 'pop3' | 'smtp' | 'graphql'), also the current-password check of changePassword.
   * The decision is ignored; a slow hook does not delay the login.
   */
  'account.login': { address: string; protocol: string; remoteAddress: string };
}

export type HookName = keyof HookContextMap;

export type HookHandler<K extends HookName> =
  (context: Readonly<HookContextMap[K]>) => HookDecision | void | Promise<HookDecision | void>;

export interface HookRegistration<K extends HookName> {
  handler: HookHandler<K>;
  /** -100..100, higher runs first; plugins' configured order breaks ties. Default 0. */
  priority?: number;
  /** Default 5000 ms; a hook that takes longer counts as tempfail (or continue, for a fail-open plugin). */
  timeoutMs?: number;
}

export type PluginHooks = { [K in HookName]?: HookHandler<K> | HookRegistration<K> };

export interface PluginDefinition {
  name: string;
  /** When true, a throw or a timeout in this plugin's hooks counts as `continue` instead of `tempfail`. */
  failOpen?: boolean;
  hooks: PluginHooks;
}

/** Declares a plugin; the identity function exists so that the compiler checks hook names and contexts. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}

export const CONTINUE: HookDecision = { action: 'continue' };
