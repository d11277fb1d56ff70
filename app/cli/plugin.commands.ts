import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { MailhiveConfig } from '../../core/config/config.schema.js';
import { MailError } from '../../core/mail/mail.errors.js';
import { parseConfigArgument, validateConfig } from '../../core/plugin-host/plugin-config.js';
import { PluginHost, type PluginDescription } from '../../core/plugin-host/plugin-host.service.js';
import { loadPlugins, shippedPlugins } from '../../core/plugin-host/plugin-loader.js';
import { PluginStoreRepository } from '../../core/store/repositories/plugin-store.repository.js';
import { StoreService } from '../../core/store/store.service.js';
import { UsageError } from './cli-error.js';
import { withCore } from './core-context.js';
import { scaffoldPlugin } from './plugin-scaffold.js';

type Handler = (args: string[], config: MailhiveConfig, logger: Logger, io: { out(line: string): void }) => Promise<void>;

/** The plugins of MAILHIVE_PLUGINS as the settings table makes them (no setup runs in the CLI). */
async function described(config: MailhiveConfig, logger: Logger, repository: PluginStoreRepository): Promise<PluginDescription[]> {
  const host = new PluginHost(logger);
  for (const loaded of await loadPlugins(config.plugins)) {
    if (loaded.ok) host.register(loaded.plugin);
    else host.registerFailure(loaded.name, loaded.error);
  }
  await host.apply(await repository.settings(), { start: false });
  return host.describe();
}

function withPlugins(
  config: MailhiveConfig,
  logger: Logger,
  work: (repository: PluginStoreRepository, plugins: PluginDescription[]) => Promise<void>,
): Promise<void> {
  return withCore(config, logger, async (context) => {
    const repository = new PluginStoreRepository(context.get(StoreService));
    // Plugin code logs nothing of interest while it is only being described.
    await work(repository, await described(config, logger.child({ level: 'silent' }), repository));
  });
}

function named(args: string[], plugins: PluginDescription[]): PluginDescription {
  if (args.length < 1) throw new UsageError('expected a plugin name');
  const plugin = plugins.find((item) => item.name === args[0]);
  if (!plugin)
    throw new MailError(
      'NONEXISTENT',
      `plugin ${args[0]} is not in MAILHIVE_PLUGINS (${plugins.map((item) => item.name).join(', ') || 'none'})`,
    );
  return plugin;
}

function setEnabled(enabled: boolean): Handler {
  return (args, config, logger, io) =>
    withPlugins(config, logger, async (repository, plugins) => {
      if (args.length !== 1) throw new UsageError('expected one plugin name');
      const plugin = named(args, plugins);
      await repository.saveSetting(plugin.name, { enabled });
      io.out(`plugin ${plugin.name} ${enabled ? 'enabled' : 'disabled'} (running servers follow within seconds)`);
    });
}

/** `mailhive plugin ...`, merged into the CLI's command table. */
export const PLUGIN_COMMANDS: Record<string, Handler> = {
  'plugin list': (args, config, logger, io) =>
    withPlugins(config, logger, async (_repository, plugins) => {
      if (args.length > 0) throw new UsageError('plugin list takes no arguments');
      for (const plugin of plugins) {
        io.out(
          [
            `${plugin.order + 1}. ${plugin.name}`,
            plugin.state,
            plugin.error ?? '',
            `hooks ${plugin.hooks.map((hook) => `${hook.name}(${hook.priority})`).join(',') || 'none'}`,
            `listeners ${plugin.listeners.join(',') || 'none'}`,
            `graphql ${[...plugin.graphql.queries, ...plugin.graphql.mutations].join(',') || 'none'}`,
          ]
            .filter(Boolean)
            .join('\t'),
        );
        for (const field of plugin.config) {
          io.out(
            `   ${field.key} = ${field.secret && field.value ? '****' : JSON.stringify(field.value)}\t(${field.type}, default ${JSON.stringify(field.default)}) ${field.help}`,
          );
        }
      }
      const others = shippedPlugins().filter((name) => !plugins.some((plugin) => plugin.name === name));
      if (others.length > 0) io.out(`shipped, not in MAILHIVE_PLUGINS: ${others.join(', ')}`);
    }),
  'plugin enable': setEnabled(true),
  'plugin disable': setEnabled(false),
  'plugin set': (args, config, logger, io) =>
    withPlugins(config, logger, async (repository, plugins) => {
      const plugin = named(args, plugins);
      if (args.length < 2) throw new UsageError('expected KEY=VALUE after the plugin name');
      const schema = Object.fromEntries(
        plugin.config.map((field) => [field.key, { type: field.type, default: field.default, help: field.help }]),
      );
      const values: Record<string, unknown> = {};
      for (const pair of args.slice(1)) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new UsageError(`expected KEY=VALUE, got "${pair}"`);
        values[pair.slice(0, at)] = parseConfigArgument(schema as never, pair.slice(0, at), pair.slice(at + 1));
      }
      const stored = (await repository.settings()).get(plugin.name)?.config ?? {};
      const merged = { ...stored, ...values };
      const checked = validateConfig(schema as never, merged);
      if (!checked.ok) throw new UsageError(`invalid configuration: ${checked.errors.join('; ')}`);
      await repository.saveSetting(plugin.name, { config: merged });
      io.out(`plugin ${plugin.name} configured: ${Object.keys(values).join(', ')}`);
    }),
  'plugin new': async (args, _config, _logger, io) => {
    const { values, positionals } = parseArgs({ args, options: { dir: { type: 'string' } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('expected one plugin name');
    const name = positionals[0]!;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(name))
      throw new UsageError('a plugin name is lower-case letters, digits and dashes, starting with a letter');
    const dir = resolve(values.dir ?? join('plugins', name));
    if (existsSync(dir)) throw new MailError('ALREADYEXISTS', `${dir} exists already`);
    await mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries(scaffoldPlugin(name))) await writeFile(join(dir, file), text);
    io.out(`plugin ${name} created in ${dir}: add "${name}" to MAILHIVE_PLUGINS to load it`);
  },
};
