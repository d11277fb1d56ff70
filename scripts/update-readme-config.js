// Rewrites the configuration table in README.md from the configuration keys (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';

const { configTable } = await import('../dist/core/config/config-table.js');
const readme = readFileSync('README.md', 'utf8');
writeFileSync(
  'README.md',
  readme.replace(/(<!-- config-table:start[^>]*-->\n)[\s\S]*?(<!-- config-table:end -->)/, `$1${configTable()}\n$2`),
);
