import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StartupError } from '../util/startup-error.js';
import type { PluginDefinition } from './plugin-api.js';

/** `plugins/` beside the running `core/` (the built dist/plugins in production, the sources under vitest). */
const SHIPPED_PLUGINS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'plugins');

/** Loads plugins named in MAILHIVE_PLUGINS: a directory under plugins/, or an npm package. */
export async function loadPlugins(names: readonly string[]): Promise<PluginDefinition[]> {
  const plugins: PluginDefinition[] = [];
  for (const name of names) {
    const local = ['index.js', 'index.ts'].map((file) => join(SHIPPED_PLUGINS, name, file)).find((file) => existsSync(file));
    let loaded: Record<string, unknown>;
    try {
      loaded = await import(local ? pathToFileURL(local).href : name) as Record<string, unknown>;
    } catch (error) {
      throw new StartupError(`MAILHIVE_PLUGINS: cannot load plugin "${name}": ${(error as Error).message.split('\n')[0]}`);
    }
    const plugin = (loaded.default ?? loaded.plugin) as PluginDefinition | undefined;
    if (!plugin || typeof plugin.name !== 'string' || typeof plugin.hooks !== 'object') {
      throw new StartupError(`MAILHIVE_PLUGINS: "${name}" does not export a plugin (export default definePlugin({ name, hooks }))`);
    }
    plugins.push(plugin);
  }
  return plugins;
}
