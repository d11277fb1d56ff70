import { readFileSync } from 'node:fs';

/** Mailhive's version from its package.json, or `unknown` when it cannot be read. */
export function packageVersion(): string {
  // Built, this file is dist/core/util/, three folders below package.json; as source (tests), two.
  for (const path of ['../../../package.json', '../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'mailhive' && parsed.version) return parsed.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}
