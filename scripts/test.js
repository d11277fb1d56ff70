// The README's test command: every test on SQLite, then the store and end-to-end tests again on MariaDB.
// Prints one closing line `N passed, N failed` over both runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mysqlUrl = new URL(process.env.MAILHIVE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const reports = mkdtempSync(join(tmpdir(), 'mailhive-test-report-'));
const extraArgs = process.argv.slice(2);

function vitest(name, args, env) {
  const countsFile = join(reports, `${name}.json`);
  const result = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=./scripts/vitest-count-reporter.js', ...args, ...extraArgs],
    {
      stdio: 'inherit',
      env: { ...process.env, ...env, MAILHIVE_TEST_COUNTS: countsFile },
    },
  );
  let counts;
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    // vitest itself did not finish: nothing is known to have passed.
    return { passed: 0, failed: 1, neverRan: 0 };
  }
  const failed = counts.failed + counts.neverRan + counts.unhandledErrors;
  return { passed: counts.passed, failed: result.status !== 0 && failed === 0 ? 1 : failed, neverRan: counts.neverRan };
}

function reachable(url) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 3306) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const totals = { passed: 0, failed: 0, neverRan: 0 };
const add = ({ passed, failed, neverRan }) => {
  totals.passed += passed;
  totals.failed += failed;
  totals.neverRan += neverRan;
};

console.log('\n== all tests on SQLite ==');
add(vitest('sqlite', [], { MAILHIVE_TEST_DB: 'sqlite' }));

if (await reachable(mysqlUrl)) {
  console.log(`\n== store and end-to-end tests on MariaDB (${mysqlUrl.host}) ==`);
  add(vitest('mariadb', ['test/store', 'test/e2e'], { MAILHIVE_TEST_DB: 'mariadb' }));
} else if (process.env.CI) {
  console.log(`\nMariaDB is not reachable at ${mysqlUrl.host}: CI requires it.`);
  totals.failed++;
} else {
  console.log(`\nMariaDB is not reachable at ${mysqlUrl.host}: MariaDB runs skipped (set MAILHIVE_TEST_MYSQL_URL).`);
}

if (totals.neverRan > 0) console.log(`\n${totals.neverRan} of the failed tests never ran: their file could not load or its set-up failed.`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
