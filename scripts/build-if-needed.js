// `npm start` builds when dist/ is missing or older than a source file, so a fresh clone starts with one command.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['app', 'core', 'modules', 'mobile-api', 'plugins', 'admin-ui'];
const OUTPUTS = [
  join('dist', 'app', 'cli', 'main.js'),
  join('dist', 'webmail-web', 'index.html'),
  join('dist', 'admin-ui', 'index.html'),
  join('dist', 'graphql-explorer', 'index.html'),
];
const SOURCE_FILE = /\.(ts|tsx|css|html)$/;

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (SOURCE_FILE.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const built = Math.min(...OUTPUTS.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
if (built === 0 || SOURCES.some((dir) => newestSource(dir) > built)) {
  execSync('npm run build', { stdio: 'inherit' });
}
