import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { EVENT_BUS, type EventBus, type Unsubscribe } from '../events/event-bus.js';
import { LOGGER } from '../logging/logger.js';
import type { StorageEventMap, StorageEventName } from './plugin-api.js';
import { validateConfig } from './plugin-config.js';
import { PluginHost, type PluginDescription, type PluginSetting } from './plugin-host.service.js';
import { PluginMailService } from './plugin-mail.service.js';
import { PluginStoreRepository } from '../store/repositories/plugin-store.repository.js';

/**
 * How often a node re-reads the settings table: the bus carries changes made by a running node at once; this
 * catches the ones the CLI (a process of its own, without the bus) writes.
 */
const SETTINGS_POLL_MS = 2000;
/** Expired keys of the plugin store are swept this often (a read already treats them as absent). */
const SWEEP_MS = 10 * 60_000;

export type PluginChangeResult = { ok: true; plugin: PluginDescription } | { ok: false; reason: 'unknown' | 'invalid'; errors: string[] };

/**
 * Plugins at run time: gives them the server's services and the storage events, applies the settings table on every
 * node (at start, on a `plugin.changed` bus event, and by polling), and is the API for the admin surfaces (GraphQL,
 * WebAdmin): list plugins with hooks, state and configuration; enable, disable, configure, reload.
 */
@Injectable()
export class PluginsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly unsubscribe: Unsubscribe[] = [];
  private poll: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private lastSettings = '';
  private readonly addresses = new Map<number, string>();
  private readonly origin = randomUUID();

  constructor(
    private readonly host: PluginHost,
    private readonly repository: PluginStoreRepository,
    private readonly mail: PluginMailService,
    @Inject(EVENT_BUS) private readonly events: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.host.attach({
      store: (plugin) => ({
        get: async <T>(key: string) => {
          const text = await this.repository.get(plugin, key);
          return text === null ? null : (JSON.parse(text) as T);
        },
        set: (key, value, options) =>
          this.repository.set(plugin, key, JSON.stringify(value ?? null), options?.ttlSeconds ? Date.now() + options.ttlSeconds * 1000 : 0),
        delete: (key) => this.repository.delete(plugin, key),
        increment: (key, by = 1) => this.repository.increment(plugin, key, by),
        counter: (key) => this.repository.counter(plugin, key),
      }),
      mail: (plugin) => this.mail.forPlugin(plugin),
    });
    await this.refresh(true);
    this.unsubscribe.push(
      this.events.on('plugin.changed', (event) => {
        if (event.origin === this.origin) return;
        void this.refresh(true)
          .then(() => (event.reload ? this.host.reload(event.plugin) : undefined))
          .catch((error: unknown) => this.logger.error({ err: error }, 'applying plugin settings failed'));
      }),
    );
    this.listen();
    this.poll = setInterval(() => {
      this.refresh(false).catch((error: unknown) => this.logger.error({ err: error }, 'reading plugin settings failed'));
    }, SETTINGS_POLL_MS);
    this.poll.unref();
    this.sweep = setInterval(() => {
      this.repository.sweep(Date.now()).catch((error: unknown) => this.logger.error({ err: error }, 'sweeping the plugin store failed'));
    }, SWEEP_MS);
    this.sweep.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.poll);
    clearInterval(this.sweep);
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    await this.host.stopAll();
  }

  list(): PluginDescription[] {
    return this.host.describe();
  }

  async setEnabled(name: string, enabled: boolean): Promise<PluginChangeResult> {
    if (this.host.configSchema(name) === null) return { ok: false, reason: 'unknown', errors: [`no plugin ${name} is loaded`] };
    await this.repository.saveSetting(name, { enabled });
    return this.changed(name, false);
  }

  /** Sets configuration values (merged over the stored ones), validated against the plugin's schema first. */
  async configure(name: string, values: Record<string, unknown>): Promise<PluginChangeResult> {
    const schema = this.host.configSchema(name);
    if (schema === null) return { ok: false, reason: 'unknown', errors: [`no plugin ${name} is loaded`] };
    const stored = (await this.repository.settings()).get(name)?.config ?? {};
    const merged = { ...stored, ...values };
    const checked = validateConfig(schema, merged);
    if (!checked.ok) return { ok: false, reason: 'invalid', errors: checked.errors };
    await this.repository.saveSetting(name, { config: merged });
    return this.changed(name, false);
  }

  async reload(name: string): Promise<PluginChangeResult> {
    if (this.host.configSchema(name) === null) return { ok: false, reason: 'unknown', errors: [`no plugin ${name} is loaded`] };
    return this.changed(name, true);
  }

  private async changed(name: string, reload: boolean): Promise<PluginChangeResult> {
    // Applied here before answering, and on the other nodes through the bus.
    this.events.emit('plugin.changed', { plugin: name, reload, origin: this.origin });
    await this.refresh(true);
    if (reload) await this.host.reload(name);
    return { ok: true, plugin: this.host.describe().find((plugin) => plugin.name === name)! };
  }

  private async refresh(force: boolean): Promise<void> {
    const settings = await this.repository.settings();
    const text = JSON.stringify([...settings.entries()]);
    if (!force && text === this.lastSettings) return;
    this.lastSettings = text;
    await this.host.apply(settings as ReadonlyMap<string, PluginSetting>);
  }

  /** Storage events for plugins, with the account's address; only while some plugin listens, no lookup is made. */
  private listen(): void {
    const forward = <K extends StorageEventName>(name: K, accountId: number, event: (address: string) => StorageEventMap[K]) => {
      if (!this.host.listens(name)) return;
      this.address(accountId)
        .then((address) => {
          if (address) this.host.dispatch(name, event(address));
        })
        .catch((error: unknown) => this.logger.error({ err: error, event: name }, 'plugin event lookup failed'));
    };
    this.unsubscribe.push(
      this.events.on('message.added', (event) =>
        forward('message.added', event.accountId, (address) => ({
          address,
          mailboxId: event.mailboxId,
          messageId: event.messageId,
          uid: event.uid,
        })),
      ),
      this.events.on('flags.changed', (event) =>
        forward('flags.changed', event.accountId, (address) => ({
          address,
          mailboxId: event.mailboxId,
          changes: event.changes.map((change) => ({ messageId: change.messageId, uid: change.uid, flags: change.flags })),
        })),
      ),
      this.events.on('message.expunged', (event) =>
        forward('message.expunged', event.accountId, (address) => ({
          address,
          mailboxId: event.mailboxId,
          uids: event.uids,
          messageIds: event.messageIds,
        })),
      ),
      this.events.on('mailbox.changed', (event) => {
        if (event.change === 'subscription') return;
        const name = `mailbox.${event.change}` as const;
        forward(name, event.accountId, (address) => ({ address, mailboxId: event.mailboxId, path: event.path }));
      }),
    );
  }

  private async address(accountId: number): Promise<string | null> {
    const known = this.addresses.get(accountId);
    if (known) return known;
    const address = await this.repository.accountAddress(accountId);
    // Addresses do not change; a few thousand entries at most on a busy node.
    if (address) {
      if (this.addresses.size > 10_000) this.addresses.clear();
      this.addresses.set(accountId, address);
    }
    return address;
  }
}
