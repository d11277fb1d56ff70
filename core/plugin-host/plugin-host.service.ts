import type { Logger } from 'pino';
import type {
  ConfigSchema,
  ConfigValues,
  GraphqlField,
  HookContextMap,
  HookDecision,
  HookHandler,
  HookName,
  HookRegistration,
  PluginContext,
  PluginDefinition,
  PluginHttp,
  PluginMail,
  PluginStore,
  StorageEventMap,
  StorageEventName,
  TransformContextMap,
  TransformName,
} from './plugin-api.js';
import { configDefaults, validateConfig } from './plugin-config.js';
import { pluginHttp } from './plugin-http.js';

const DEFAULT_TIMEOUT_MS = 5000;

interface RegisteredHook {
  plugin: string;
  failOpen: boolean;
  priority: number;
  order: number;
  timeoutMs: number;
  handler: HookHandler<HookName>;
}

export interface HookOutcome {
  decision: HookDecision;
  /** The plugin that decided, if any did. */
  plugin?: string;
}

/** The services behind a plugin's context that need the server (store, mail); absent in unit tests and the CLI. */
export interface PluginServices {
  store(plugin: string): PluginStore;
  mail(plugin: string): PluginMail;
}

/** What the settings table says of a plugin: null `enabled` means "as MAILHIVE_PLUGINS says" (enabled). */
export interface PluginSetting {
  enabled: boolean | null;
  config: Record<string, unknown>;
}

export type PluginState = 'enabled' | 'disabled' | 'failed';

/** A plugin as `plugin list`, the admin API and WebAdmin show it. */
export interface PluginDescription {
  name: string;
  description: string;
  /** Position in MAILHIVE_PLUGINS: ties between equal priorities go to the earlier one. */
  order: number;
  state: PluginState;
  /** Why it failed to load, set up or validate its configuration. */
  error: string | null;
  failOpen: boolean;
  hooks: { name: HookName; priority: number; timeoutMs: number }[];
  listeners: StorageEventName[];
  transforms: TransformName[];
  graphql: { queries: string[]; mutations: string[] };
  config: { key: string; type: string; help: string; default: unknown; value: unknown; secret: boolean }[];
}

interface PluginEntry {
  name: string;
  definition: PluginDefinition | null;
  order: number;
  /** Wanted by configuration (MAILHIVE_PLUGINS, then the settings table). */
  wanted: boolean;
  /** Set up and running hooks. */
  active: boolean;
  error: string | null;
  values: Record<string, unknown>;
  timers: Set<NodeJS.Timeout>;
  context: PluginContext | null;
}

const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not available in this process`));

/**
 * Runs plugins: hook chains by priority, then configured order, the first decision other than `continue` ending the
 * chain; storage listeners; GraphQL fields. Plugins are enabled, disabled, reconfigured and reloaded at run time
 * (`apply`, from the settings table); a plugin that fails to load or to set up is reported and left out.
 */
export class PluginHost {
  private readonly entries: PluginEntry[] = [];
  private chains = new Map<HookName, RegisteredHook[]>();
  private services: PluginServices | null = null;
  private readonly http: PluginHttp = pluginHttp();
  /** Serialises enable/disable/reload, so that a setup never overlaps a teardown of the same plugin. */
  private changing: Promise<void> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  /** Adds a loaded plugin, enabled with its default configuration (setup runs on `apply` or `activateAll`). */
  register<S extends ConfigSchema>(plugin: PluginDefinition<S>): void {
    if (this.entries.some((existing) => existing.name === plugin.name)) throw new Error(`plugin ${plugin.name} is loaded twice`);
    const definition = plugin as unknown as PluginDefinition;
    this.entries.push({
      name: plugin.name,
      definition,
      order: this.entries.length,
      wanted: true,
      active: !definition.setup,
      error: null,
      values: configDefaults(definition.config),
      timers: new Set(),
      context: null,
    });
    this.rebuildChains();
  }

  /** A plugin named in MAILHIVE_PLUGINS that could not be loaded: reported, never run. */
  registerFailure(name: string, error: string): void {
    this.logger.error({ plugin: name, error }, 'plugin failed to load; left out');
    this.entries.push({
      name,
      definition: null,
      order: this.entries.length,
      wanted: true,
      active: false,
      error,
      values: {},
      timers: new Set(),
      context: null,
    });
  }

  /** Gives plugins the server's services; until then their store and mail calls fail. */
  attach(services: PluginServices): void {
    this.services = services;
  }

  /** The plugins that run, in load order. */
  loaded(): string[] {
    return this.entries.filter((entry) => entry.active).map((entry) => entry.name);
  }

  has(name: HookName): boolean {
    return (this.chains.get(name)?.length ?? 0) > 0;
  }

  /** Applies the settings table: enables, disables and reconfigures; a changed configuration reaches the plugin at once. */
  apply(settings: ReadonlyMap<string, PluginSetting>, options: { start?: boolean } = {}): Promise<void> {
    const start = options.start ?? true;
    return this.serialised(async () => {
      for (const entry of this.entries) {
        if (!entry.definition) continue;
        const setting = settings.get(entry.name);
        const checked = validateConfig(entry.definition.config, setting?.config ?? {});
        if (!checked.ok) {
          // A bad stored value (written by an older version, or by hand) keeps the plugin on its last good values.
          this.logger.error({ plugin: entry.name, errors: checked.errors }, 'plugin configuration refused; previous values kept');
        } else if (JSON.stringify(checked.values) !== JSON.stringify(entry.values)) {
          entry.values = checked.values;
          this.logger.info({ plugin: entry.name }, 'plugin configuration changed');
        }
        entry.wanted = setting?.enabled ?? true;
        // Without start (the CLI describing plugins), state follows the settings and no setup runs.
        if (!start) entry.active = entry.wanted;
        else if (entry.wanted && !entry.active) await this.activate(entry);
        else if (!entry.wanted && entry.active) await this.deactivate(entry);
      }
      this.rebuildChains();
    });
  }

  /** Tears a plugin down and sets it up again (a fresh start after a failure, or to re-read external state). */
  reload(name: string): Promise<boolean> {
    return this.serialised(async () => {
      const entry = this.entries.find((item) => item.name === name && item.definition);
      if (!entry) return false;
      if (entry.active) await this.deactivate(entry);
      if (entry.wanted) await this.activate(entry);
      this.rebuildChains();
      return true;
    });
  }

  /** Stops every plugin (server shutdown). */
  stopAll(): Promise<void> {
    return this.serialised(async () => {
      for (const entry of this.entries) if (entry.active) await this.deactivate(entry);
      this.rebuildChains();
    });
  }

  describe(): PluginDescription[] {
    return this.entries.map((entry) => {
      const definition = entry.definition;
      const hooks = Object.entries(definition?.hooks ?? {})
        .filter(([, spec]) => spec)
        .map(([name, spec]) => {
          const registration: Omit<HookRegistration<HookName>, 'handler'> = typeof spec === 'function'
            ? {}
            : (spec as HookRegistration<HookName>);
          return {
            name: name as HookName,
            priority: clampPriority(registration.priority),
            timeoutMs: registration.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          };
        });
      return {
        name: entry.name,
        description: definition?.description ?? '',
        order: entry.order,
        state: entry.active ? 'enabled' : entry.error ? 'failed' : 'disabled',
        error: entry.error,
        failOpen: definition?.failOpen ?? false,
        hooks,
        listeners: Object.keys(definition?.listeners ?? {}) as StorageEventName[],
        transforms: Object.keys(definition?.transforms ?? {}) as TransformName[],
        graphql: { queries: Object.keys(definition?.graphql?.queries ?? {}), mutations: Object.keys(definition?.graphql?.mutations ?? {}) },
        config: Object.entries(definition?.config ?? {}).map(([key, field]) => ({
          key,
          type: field.type,
          help: field.help,
          default: field.default,
          value: entry.values[key],
          secret: 'secret' in field && field.secret === true,
        })),
      };
    });
  }

  /** The schema of a loaded plugin's configuration, for validating a change before it is stored. */
  configSchema(name: string): ConfigSchema | undefined | null {
    const entry = this.entries.find((item) => item.name === name && item.definition);
    return entry ? entry.definition!.config : null;
  }

  /** A GraphQL field of an enabled plugin, with the context to call it with; null when absent or disabled. */
  graphqlField(plugin: string, kind: 'queries' | 'mutations', field: string): { field: GraphqlField; context: PluginContext } | null {
    const entry = this.entries.find((item) => item.name === plugin && item.active);
    const found = entry?.definition?.graphql?.[kind]?.[field];
    if (!entry || !found || !Object.hasOwn(entry.definition!.graphql![kind]!, field)) return null;
    return { field: found, context: this.contextOf(entry) };
  }

  /** Hands a storage event to every enabled plugin listening for it; a listener's failure is logged. */
  dispatch<K extends StorageEventName>(name: K, event: StorageEventMap[K]): void {
    for (const entry of this.entries) {
      const listener = entry.active ? entry.definition?.listeners?.[name] : undefined;
      if (!listener) continue;
      Promise.resolve()
        .then(() => (listener as (event: StorageEventMap[K], plugin: PluginContext) => unknown)(event, this.contextOf(entry)))
        .catch((error: unknown) => this.logger.error({ plugin: entry.name, event: name, err: error }, 'plugin listener failed'));
    }
  }

  listens(name: StorageEventName): boolean {
    return this.entries.some((entry) => entry.active && entry.definition?.listeners?.[name]);
  }

  transforms(name: TransformName): boolean {
    return this.entries.some((entry) => entry.active && entry.definition?.transforms?.[name]);
  }

  /** Runs the enabled plugins' transforms in load order; null when none changed the message. */
  async transform<K extends TransformName>(name: K, message: TransformContextMap[K]): Promise<Buffer | null> {
    let current = message.raw;
    let changed = false;
    for (const entry of this.entries) {
      const transform = entry.active ? entry.definition?.transforms?.[name] : undefined;
      if (!transform) continue;
      try {
        const result = await transform({ ...message, raw: current }, this.contextOf(entry));
        if (result) {
          current = result;
          changed = true;
        }
      } catch (error) {
        // A rewriter's bug must not lose mail: the message goes on as it was.
        this.logger.error({ plugin: entry.name, transform: name, err: error }, 'plugin transform failed; message left unchanged');
      }
    }
    return changed ? current : null;
  }

  async run<K extends HookName>(name: K, context: HookContextMap[K]): Promise<HookOutcome> {
    for (const hook of this.chains.get(name) ?? []) {
      const decision = await this.invoke(hook, name, context);
      if (decision.action !== 'continue') {
        this.logger.info(
          { hook: name, plugin: hook.plugin, decision: decision.action, text: 'text' in decision ? decision.text : undefined },
          'plugin decision',
        );
        return { decision, plugin: hook.plugin };
      }
    }
    return { decision: { action: 'continue' } };
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.changing.then(work);
    this.changing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async activate(entry: PluginEntry): Promise<void> {
    try {
      await entry.definition!.setup?.(this.contextOf(entry));
      entry.active = true;
      entry.error = null;
      this.logger.info({ plugin: entry.name }, 'plugin enabled');
    } catch (error) {
      entry.error = `setup failed: ${(error as Error).message}`;
      this.clearTimers(entry);
      this.logger.error({ plugin: entry.name, error: entry.error }, 'plugin failed to set up; left disabled');
    }
  }

  private async deactivate(entry: PluginEntry): Promise<void> {
    entry.active = false;
    this.clearTimers(entry);
    try {
      await entry.definition!.teardown?.(this.contextOf(entry));
    } catch (error) {
      this.logger.error({ plugin: entry.name, err: error }, 'plugin teardown failed');
    }
    this.logger.info({ plugin: entry.name }, 'plugin disabled');
  }

  private clearTimers(entry: PluginEntry): void {
    for (const timer of entry.timers) clearTimeout(timer);
    entry.timers.clear();
  }

  private rebuildChains(): void {
    const chains = new Map<HookName, RegisteredHook[]>();
    for (const entry of this.entries) {
      if (!entry.active || !entry.definition) continue;
      for (const [name, spec] of Object.entries(entry.definition.hooks ?? {}) as [HookName, unknown][]) {
        if (!spec) continue;
        const registration: HookRegistration<HookName> =
          typeof spec === 'function' ? { handler: spec as HookHandler<HookName> } : (spec as HookRegistration<HookName>);
        const chain = chains.get(name) ?? [];
        chain.push({
          plugin: entry.name,
          failOpen: entry.definition.failOpen ?? false,
          order: entry.order,
          priority: clampPriority(registration.priority),
          timeoutMs: registration.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          handler: registration.handler,
        });
        chains.set(name, chain);
      }
    }
    for (const chain of chains.values()) chain.sort((a, b) => b.priority - a.priority || a.order - b.order);
    // Swapped whole: a chain being run keeps the hooks it started with.
    this.chains = chains;
  }

  private contextOf(entry: PluginEntry): PluginContext {
    if (entry.context) return entry.context;
    const log = this.logger.child({ plugin: entry.name });
    const services = () => this.services;
    const schedule = (delayMs: number, task: () => void | Promise<void>, repeat: boolean) => {
      const fire = () => {
        entry.timers.delete(timer);
        Promise.resolve()
          .then(task)
          .catch((error: unknown) => log.error({ err: error }, 'scheduled task failed'))
          .finally(() => {
            if (repeat && entry.active) {
              timer = setTimeout(fire, delayMs);
              entry.timers.add(timer);
            }
          });
      };
      let timer = setTimeout(fire, delayMs);
      timer.unref();
      entry.timers.add(timer);
    };
    const context: PluginContext = {
      name: entry.name,
      get config() {
        return entry.values as ConfigValues<ConfigSchema>;
      },
      log: {
        info: (message, fields) => log.info(fields ?? {}, message),
        warn: (message, fields) => log.warn(fields ?? {}, message),
        error: (message, fields) => log.error(fields ?? {}, message),
      },
      store: {
        get: (key) => services()?.store(entry.name).get(key) ?? unavailable('the plugin store')(),
        set: (key, value, options) => services()?.store(entry.name).set(key, value, options) ?? unavailable('the plugin store')(),
        delete: (key) => services()?.store(entry.name).delete(key) ?? unavailable('the plugin store')(),
        increment: (key, by) => services()?.store(entry.name).increment(key, by) ?? unavailable('the plugin store')(),
        counter: (key) => services()?.store(entry.name).counter(key) ?? unavailable('the plugin store')(),
      },
      mail: {
        send: (message) => services()?.mail(entry.name).send(message) ?? unavailable('sending')(),
        fileInto: (target) => services()?.mail(entry.name).fileInto(target) ?? unavailable('filing')(),
      },
      schedule: {
        every: (intervalMs, task) => schedule(Math.max(10, intervalMs), task, true),
        after: (delayMs, task) => schedule(Math.max(0, delayMs), task, false),
      },
      http: this.http,
    };
    entry.context = context;
    return context;
  }

  private async invoke(hook: RegisteredHook, name: HookName, context: unknown): Promise<HookDecision> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), hook.timeoutMs);
    });
    const entry = this.entries.find((item) => item.name === hook.plugin)!;
    try {
      const result = await Promise.race([Promise.resolve().then(() => hook.handler(context as never, this.contextOf(entry))), timeout]);
      if (result === 'timeout') return this.failure(hook, name, `timed out after ${hook.timeoutMs} ms`);
      return result ?? { action: 'continue' };
    } catch (error) {
      return this.failure(hook, name, (error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  private failure(hook: RegisteredHook, name: HookName, reason: string): HookDecision {
    this.logger.error({ hook: name, plugin: hook.plugin, reason }, 'plugin hook failed');
    return hook.failOpen ? { action: 'continue' } : { action: 'tempfail', text: `plugin ${hook.plugin} failed` };
  }
}

function clampPriority(priority: number | undefined): number {
  return Math.max(-100, Math.min(100, priority ?? 0));
}
