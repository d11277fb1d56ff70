// `npm start` builds when dist/ is missing or older than a source file, so a fresh clone starts with one command.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['core', 'modules', 'mobile-api', 'plugins'];
const marker = join('dist', 'core', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
if (built === 0 || SOURCES.some((dir) => newestSource(dir) > built)) {
  execSync('npm run build', { stdio: 'inherit' });
}
