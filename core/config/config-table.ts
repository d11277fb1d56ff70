import { CONFIG_KEYS } from './config.schema.js';

/** The README's configuration table, one row per key. */
export function configTable(): string {
  const rows = CONFIG_KEYS.map(
    (key) => `| \`${key.env}\` | ${key.default === '' ? '' : `\`${key.default}\``} | ${key.description.replace(/\|/g, '\\|')} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
