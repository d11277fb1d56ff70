// Rewrites the configuration table in README.md from the configuration keys (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';

const { CONFIG_KEYS } = await import('../dist/core/config/config.schema.js');
const rows = ['| variable | default | meaning |', '|---|---|---|',
  ...CONFIG_KEYS.map((key) => `| \`${key.env}\` | ${key.default === '' ? '' : `\`${key.default}\``} | ${key.description.replace(/\|/g, '\\|')} |`)];
const readme = readFileSync('README.md', 'utf8');
const updated = readme.replace(/(<!-- config-table:start[^>]*-->\n)[\s\S]*?(<!-- config-table:end -->)/, `$1${rows.join('\n')}\n$2`);
writeFileSync('README.md', updated);
