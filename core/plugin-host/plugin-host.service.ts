import type { Logger } from 'pino';
import type { HookContextMap, HookDecision, HookHandler, HookName, HookRegistration, PluginDefinition } from './plugin-api.js';

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

/** Runs hook chains: by priority, then configured order; the first decision other than `continue` ends the chain. */
export class PluginHost {
  private readonly chains = new Map<HookName, RegisteredHook[]>();
  private readonly plugins: PluginDefinition[] = [];

  constructor(private readonly logger: Logger) {}

  register(plugin: PluginDefinition): void {
    if (this.plugins.some((existing) => existing.name === plugin.name)) throw new Error(`plugin ${plugin.name} is loaded twice`);
    const order = this.plugins.length;
    this.plugins.push(plugin);
    for (const [name, spec] of Object.entries(plugin.hooks) as [HookName, unknown][]) {
      if (!spec) continue;
      const registration: HookRegistration<HookName> = typeof spec === 'function'
        ? { handler: spec as HookHandler<HookName> } : spec as HookRegistration<HookName>;
      const chain = this.chains.get(name) ?? [];
      chain.push({
        plugin: plugin.name, failOpen: plugin.failOpen ?? false, order,
        priority: Math.max(-100, Math.min(100, registration.priority ?? 0)),
        timeoutMs: registration.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        handler: registration.handler,
      });
      chain.sort((a, b) => b.priority - a.priority || a.order - b.order);
      this.chains.set(name, chain);
    }
  }

  loaded(): string[] {
    return this.plugins.map((plugin) => plugin.name);
  }

  has(name: HookName): boolean {
    return (this.chains.get(name)?.length ?? 0) > 0;
  }

  async run<K extends HookName>(name: K, context: HookContextMap[K]): Promise<HookOutcome> {
    for (const hook of this.chains.get(name) ?? []) {
      const decision = await this.invoke(hook, name, context);
      if (decision.action !== 'continue') {
        this.logger.info({ hook: name, plugin: hook.plugin, decision: decision.action, text: 'text' in decision ? decision.text : undefined }, 'plugin decision');
        return { decision, plugin: hook.plugin };
      }
    }
    return { decision: { action: 'continue' } };
  }

  private async invoke(hook: RegisteredHook, name: HookName, context: unknown): Promise<HookDecision> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), hook.timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => hook.handler(context as never)), timeout]);
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
