import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTable } from './config-table.js';

describe('README configuration table', () => {
  it('lists every configuration key as the schema defines it', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const table = /<!-- config-table:start[^>]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    // When this fails after adding a key: npm run build && node scripts/update-readme-config.js
    expect(table).toBe(configTable());
  });
});
