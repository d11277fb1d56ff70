import { existsSync, readFileSync } from 'node:fs';
import { CONFIG_KEYS, ConfigValueError, maskUrl, type MailhiveConfig } from './config.schema.js';
import { dataDirConfigFile, dataDirOf, storeMismatches } from './data-dir-config.js';

/** Start-up refuses an invalid configuration with this error; its message is the one line shown. */
export class ConfigError extends Error {}

type Source = Record<string, string | undefined>;

/**
 * Reads the config file named by MAILHIVE_CONFIG, or else the data directory's own `mailhive.json` when there is one
 * (JSON, keys as environment variable names), then the environment on top of it, and validates every key. The
 * environment may not move a data directory to another store than the one its `mailhive.json` records.
 */
export function loadConfig(env: Source = process.env): MailhiveConfig {
  const file = env.MAILHIVE_CONFIG ?? dataDirFile(env);
  const fromFile = file ? readConfigFile(file) : {};
  const known = new Set(CONFIG_KEYS.map((entry) => entry.env));
  for (const name of Object.keys(fromFile)) {
    if (!known.has(name)) throw new ConfigError(`${name} (in ${file}): unknown configuration key`);
  }
  if (file && !env.MAILHIVE_CONFIG) {
    const [mismatch] = storeMismatches(env, fromFile);
    if (mismatch) throw new ConfigError(`${mismatch} (${file}): unset it, or edit that file to move the data directory to another store`);
  }
  const config: Partial<Record<keyof MailhiveConfig, unknown>> = {};
  for (const entry of CONFIG_KEYS) {
    const raw = env[entry.env] ?? fromFile[entry.env] ?? entry.default;
    try {
      config[entry.key] = entry.parse(raw);
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      throw new ConfigError(`${entry.env}: ${error.message}`);
    }
  }
  return config as MailhiveConfig;
}

/** `<dataDir>/mailhive.json` when it exists (the data directory as the environment names it). */
function dataDirFile(env: Source): string | null {
  try {
    const file = dataDirConfigFile(dataDirOf(env));
    return existsSync(file) ? file : null;
  } catch (error) {
    // An invalid MAILHIVE_DATA_DIR is reported below, with the other keys.
    if (error instanceof ConfigValueError) return null;
    throw error;
  }
}

function readConfigFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`MAILHIVE_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`MAILHIVE_CONFIG: ${file} must hold a JSON object of KEY: value`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

/** The effective configuration as `KEY=value` lines, secrets masked. */
export function printConfig(config: MailhiveConfig): string {
  return CONFIG_KEYS.map((entry) => {
    const value = config[entry.key];
    const text = Array.isArray(value) ? value.join(',') : value === null ? '' : String(value);
    const shown = entry.secret && text !== '' ? (text.includes('://') ? maskUrl(text) : '****') : text;
    return `${entry.env}=${shown}`;
  }).join('\n');
}
