import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StartupError } from '../util/startup-error.js';
import type { PluginDefinition } from './plugin-api.js';

/** `plugins/` beside the running `core/` (the built dist/plugins in production, the sources under vitest). */
const SHIPPED_PLUGINS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'plugins');

export type LoadedPlugin = { ok: true; plugin: PluginDefinition } | { ok: false; name: string; error: string };

/**
 * Loads plugins named in MAILHIVE_PLUGINS: a directory under plugins/, a path to a plugin file, or an npm package.
 * A name that names nothing is a configuration mistake and stops start-up; a plugin that is found but throws
 * while loading, or exports no plugin, is returned as a failure (reported and left out, never fatal).
 */
export async function loadPlugins(names: readonly string[]): Promise<LoadedPlugin[]> {
  const results: LoadedPlugin[] = [];
  for (const name of names) {
    const local = ['index.js', 'index.ts'].map((file) => join(SHIPPED_PLUGINS, name, file)).find((file) => existsSync(file));
    const specifier = local ? pathToFileURL(local).href : name.startsWith('/') ? pathToFileURL(name).href : name;
    if (!local && !resolvable(specifier))
      throw new StartupError(`MAILHIVE_PLUGINS: cannot load plugin "${name}": no such plugin or package`);
    try {
      const loaded = (await import(specifier)) as Record<string, unknown>;
      const plugin = (loaded.default ?? loaded.plugin) as PluginDefinition | undefined;
      if (!plugin || typeof plugin.name !== 'string' || (plugin.hooks !== undefined && typeof plugin.hooks !== 'object')) {
        results.push({ ok: false, name, error: 'does not export a plugin (export default definePlugin({ name, hooks }))' });
      } else {
        results.push({ ok: true, plugin });
      }
    } catch (error) {
      results.push({ ok: false, name, error: `cannot load: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return results;
}

/** The plugins shipped in plugins/ (for `plugin list`: the ones MAILHIVE_PLUGINS could name). */
export function shippedPlugins(): string[] {
  if (!existsSync(SHIPPED_PLUGINS)) return [];
  return readdirSync(SHIPPED_PLUGINS, { withFileTypes: true })
    .filter((item) => item.isDirectory())
    .map((item) => item.name)
    .sort();
}

function resolvable(specifier: string): boolean {
  if (specifier.startsWith('file:')) return existsSync(fileURLToPath(specifier));
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
