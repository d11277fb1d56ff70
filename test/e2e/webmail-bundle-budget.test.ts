import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '..', '..', 'dist', 'webmail-web');
/** The webmail's first load may bring at most this much JavaScript, gzipped (as the server sends it). */
const BUDGET_BYTES = 300 * 1024;

/** Every script the page loads before it can run: its entry scripts, the chunks they preload and import statically. */
function firstLoadScripts(): string[] {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map(
    (match) => match[1],
  );
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    // Static imports of other chunks (`import ... from "./chunk-abc.js"`); dynamic import() loads later, on demand.
    const code = readFileSync(join(WEB, file), 'utf8');
    for (const match of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w$*{},\s]+from\s*)?["']\.\/([\w.-]+\.js)["']/g))
      queue.push(`assets/${match[1]}`);
  }
  return [...seen];
}

describe('webmail first-load budget', () => {
  it(`sends at most ${BUDGET_BYTES / 1024} KB of JavaScript, gzipped, before the page can run`, () => {
    expect(existsSync(join(WEB, 'index.html')), 'run npm run build first').toBe(true);
    const files = firstLoadScripts();
    expect(files.length).toBeGreaterThan(0);
    const gzipped = files.reduce((total, file) => total + gzipSync(readFileSync(join(WEB, file)), { level: 9 }).length, 0);
    console.log(`webmail first-load JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${files.length} file(s)`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
