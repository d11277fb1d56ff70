import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or install) root, found from here both in the sources and in dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `vite build` puts the explorer (core/graphql/explorer/web/vite.config.ts). */
export const EXPLORER_DIR = join(findRoot(), 'dist', 'graphql-explorer');

/** The URL prefix of its assets, as the vite config's `base` names it. */
export const EXPLORER_ASSETS_PATH = 'graphiql/assets';

/**
 * Everything from this server; Monaco (the editor) adds inline styles and runs its language services in workers
 * built beside it, and its icon font is a file of ours.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
