/**
 * The plugin API: the only part of Mailhive a plugin may import. A plugin default-exports
 * `definePlugin({ name, hooks })`; each hook receives a typed context and returns a decision or nothing.
 */

export type HookDecision =
  | { action: 'continue' }
  | { action: 'accept'; text?: string }
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
  /** Once per local recipient; `quarantine` files the message into Junk, `discard` drops it for this recipient. */
  'message.deliver': { sessionId?: string; sender: string; recipient: string; headers: Record<string, string>; size: number; raw: Buffer };
  'message.delivered': { sender: string; recipients: string[]; blobId: string };
  'message.send': { user: string; sender: string; recipients: string[]; headers: Record<string, string>; size: number };
  'queue.bounce': { sender: string; recipient: string; reason: string };
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
