#!/usr/bin/env node
// The CLI runs the built code; `npm start` and `npm test` build it first.
// Password hashing (scrypt) runs on libuv's thread pool, which blob reads and writes share: with the default four
// threads a burst of logins makes FETCH and APPEND wait. Set before anything uses the pool.
process.env.UV_THREADPOOL_SIZE ??= '16';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'app', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('mailhive: not built yet; run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
