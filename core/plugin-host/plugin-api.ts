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
export type DeliveryAction = { kind: 'fileInto'; mailbox: string } | { kind: 'setFlags'; flags: readonly string[] };

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

/** One configuration key of a plugin: its type, default and help text (shown by `plugin list` and in WebAdmin). */
export type ConfigField =
  | { type: 'string'; default: string; help: string; choices?: readonly string[]; secret?: boolean }
  | { type: 'number'; default: number; help: string; min?: number; max?: number }
  | { type: 'boolean'; default: boolean; help: string }
  | { type: 'string[]'; default: readonly string[]; help: string };

export type ConfigSchema = Record<string, ConfigField>;

type ConfigValue<F extends ConfigField> = F extends { type: 'string' }
  ? string
  : F extends { type: 'number' }
    ? number
    : F extends { type: 'boolean' }
      ? boolean
      : readonly string[];

/** The values of a schema: the stored ones, validated, or the defaults. */
export type ConfigValues<S extends ConfigSchema> = { readonly [K in keyof S]: ConfigValue<S[K]> };

/** Structured logging, tagged with the plugin's name. */
export interface PluginLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A key-value and counter store of this plugin's own (other plugins never see its keys); shared by every node. */
export interface PluginStore {
  get<T = unknown>(key: string): Promise<T | null>;
  /** `ttlSeconds`: the key reads as absent after that long. */
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds `by` (default 1) to a counter, atomically across nodes, and returns the new value. */
  increment(key: string, by?: number): Promise<number>;
  counter(key: string): Promise<number>;
}

/** A message a plugin sends; composed by the server (MIME, Date, Message-ID). */
export interface OutgoingMessage {
  /** The account it is sent as: its send rate counts, and message.send sees it as the user. */
  as: string;
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  /** Extra header fields, e.g. `Auto-Submitted`, `In-Reply-To`. */
  headers?: Record<string, string>;
  /** Envelope sender; '' (the null sender, for automatic replies: RFC 3834 §3.3) by default. */
  envelopeSender?: string;
}

export type MailResult = { ok: true } | { ok: false; reason: string };

/** Mail services: sending through the submission path (message.send, delivery, queue) and filing into a mailbox. */
export interface PluginMail {
  send(message: OutgoingMessage): Promise<MailResult>;
  /** Stores a raw message into a user's mailbox, by path or special use (`\\Junk`); created when missing (by path). */
  fileInto(target: { address: string; mailbox: string; raw: Buffer; flags?: readonly string[] }): Promise<MailResult>;
}

export interface PluginScheduler {
  /** Runs `task` every `intervalMs` while the plugin is enabled (never two runs of it at once). */
  every(intervalMs: number, task: () => void | Promise<void>): void;
  /** Runs `task` once after `delayMs`, unless the plugin is disabled first. */
  after(delayMs: number, task: () => void | Promise<void>): void;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface PluginHttp {
  /** A request that fails after `timeoutMs` (default 5000) rather than holding a hook. */
  request(
    url: string,
    options?: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number },
  ): Promise<HttpResponse>;
}

/** What a plugin has at hand: in `setup`, every hook, listener and GraphQL field. */
export interface PluginContext<S extends ConfigSchema = ConfigSchema> {
  readonly name: string;
  /** The current configuration: a change made in WebAdmin, GraphQL or the CLI shows here without a restart. */
  readonly config: ConfigValues<S>;
  readonly log: PluginLogger;
  readonly store: PluginStore;
  readonly mail: PluginMail;
  readonly schedule: PluginScheduler;
  readonly http: PluginHttp;
}

/** Storage events, after the change committed, on the node that made it (a move is added + expunged). */
export interface StorageEventMap {
  'message.added': { address: string; mailboxId: number; messageId: number; uid: number };
  'flags.changed': { address: string; mailboxId: number; changes: readonly { messageId: number; uid: number; flags: readonly string[] }[] };
  'message.expunged': { address: string; mailboxId: number; uids: readonly number[]; messageIds: readonly number[] };
  'mailbox.created': { address: string; mailboxId: number; path: string };
  'mailbox.renamed': { address: string; mailboxId: number; path: string };
  'mailbox.deleted': { address: string; mailboxId: number; path: string };
}

export type StorageEventName = keyof StorageEventMap;

export type StorageListener<K extends StorageEventName, S extends ConfigSchema> = (
  event: Readonly<StorageEventMap[K]>,
  plugin: PluginContext<S>,
) => void | Promise<void>;

export type HookHandler<K extends HookName, S extends ConfigSchema = ConfigSchema> = (
  context: Readonly<HookContextMap[K]>,
  plugin: PluginContext<S>,
) => HookDecision | void | Promise<HookDecision | void>;

export interface HookRegistration<K extends HookName, S extends ConfigSchema = ConfigSchema> {
  handler: HookHandler<K, S>;
  /** -100..100, higher runs first; plugins' configured order breaks ties. Default 0. */
  priority?: number;
  /** Default 5000 ms; a hook that takes longer counts as tempfail (or continue, for a fail-open plugin). */
  timeoutMs?: number;
}

export type PluginHooks<S extends ConfigSchema = ConfigSchema> = { [K in HookName]?: HookHandler<K, S> | HookRegistration<K, S> };

/**
 * Rewriters of a message's bytes, outside the decision chain: each enabled plugin's in load order, each given the
 * previous one's output. `message.send`: a message an authenticated user sends (SMTP submission, GraphQL
 * sendMessage), after the message.send hook let it through and before it is stored or queued (before DKIM
 * signing). Return the new message, or nothing to leave it. A throw leaves the message as it was.
 */
export interface TransformContextMap {
  'message.send': { user: string; sender: string; recipients: readonly string[]; raw: Buffer };
}

export type TransformName = keyof TransformContextMap;

export type PluginTransforms<S extends ConfigSchema = ConfigSchema> = {
  [K in TransformName]?: (message: Readonly<TransformContextMap[K]>, plugin: PluginContext<S>) => Buffer | void | Promise<Buffer | void>;
};

/** Who calls a plugin's GraphQL field: the signed-in account and its role. */
export interface Principal {
  address: string;
  role: 'user' | 'domain_admin' | 'system_admin';
}

/** A refusal a GraphQL field returns to its caller (`code` as the API's error codes: FORBIDDEN, BAD_USER_INPUT, NOT_FOUND). */
export class PluginError extends Error {
  constructor(
    readonly code: 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** Refuses a caller below `role` (system_admin > domain_admin > user). */
export function requireRole(principal: Principal, role: Principal['role']): void {
  const rank = { user: 0, domain_admin: 1, system_admin: 2 } as const;
  if (rank[principal.role] < rank[role]) throw new PluginError('FORBIDDEN', 'not allowed');
}

/**
 * A field of the plugin's GraphQL namespace, called as `pluginQuery(plugin, field, args)` or `pluginMutation(...)`
 * with JSON arguments and result. Only signed-in callers reach it; `resolve` checks anything narrower.
 */
export interface GraphqlField<S extends ConfigSchema = ConfigSchema> {
  description: string;
  resolve(args: Readonly<Record<string, unknown>>, principal: Principal, plugin: PluginContext<S>): unknown;
}

export interface PluginGraphql<S extends ConfigSchema = ConfigSchema> {
  queries?: Record<string, GraphqlField<S>>;
  mutations?: Record<string, GraphqlField<S>>;
}

export interface PluginDefinition<S extends ConfigSchema = ConfigSchema> {
  name: string;
  /** One line for `plugin list` and WebAdmin. */
  description?: string;
  /** When true, a throw or a timeout in this plugin's hooks counts as `continue` instead of `tempfail`. */
  failOpen?: boolean;
  config?: S;
  hooks?: PluginHooks<S>;
  transforms?: PluginTransforms<S>;
  listeners?: { [K in StorageEventName]?: StorageListener<K, S> };
  graphql?: PluginGraphql<S>;
  /** Runs when the plugin is enabled (at start or later); a throw leaves it disabled and reported. */
  setup?(plugin: PluginContext<S>): void | Promise<void>;
  /** Runs when it is disabled or reloaded; its schedules are cancelled by the host. */
  teardown?(plugin: PluginContext<S>): void | Promise<void>;
}

/** Declares a plugin; the identity function exists so that the compiler checks hook names, contexts and config. */
export function definePlugin<S extends ConfigSchema = ConfigSchema>(definition: PluginDefinition<S>): PluginDefinition<S> {
  return definition;
}

/**
 * A context for a plugin's unit tests: its configuration over the defaults, a store in memory, a silent logger;
 * mail and HTTP refuse (test those end to end, against a running server).
 */
export function pluginTestContext<S extends ConfigSchema>(
  plugin: PluginDefinition<S>,
  config: Partial<ConfigValues<S>> = {},
): PluginContext<S> {
  const values = Object.fromEntries(Object.entries(plugin.config ?? {}).map(([key, field]) => [key, field.default]));
  const data = new Map<string, unknown>();
  const counters = new Map<string, number>();
  const refuse = () => Promise.reject(new Error('not available in a unit test'));
  return {
    name: plugin.name,
    config: { ...values, ...config } as ConfigValues<S>,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    store: {
      get: async <T>(key: string) => (data.has(key) ? (data.get(key) as T) : null),
      set: async (key, value) => {
        data.set(key, value);
      },
      delete: async (key) => {
        data.delete(key);
      },
      increment: async (key, by = 1) => {
        counters.set(key, (counters.get(key) ?? 0) + by);
        return counters.get(key)!;
      },
      counter: async (key) => counters.get(key) ?? 0,
    },
    mail: { send: refuse, fileInto: refuse },
    schedule: { every: () => undefined, after: () => undefined },
    http: { request: refuse },
  };
}

export const CONTINUE: HookDecision = { action: 'continue' };
