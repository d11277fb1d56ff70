// The WebAdmin user table at 10,000 users: a first page, a deep page, a sorted page and prefix searches through the
// admin GraphQL API, timed from the client. Accounts are inserted straight into the store in multi-row INSERTs (one
// password hash shared by all: hashing 10,000 passwords would time the hash, not the table). Prints one summary line.
// Run: npm run build && node dist/bench/admin-users.js [users]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { loadConfig } from '../core/config/config.loader.js';
import { closeDataSources, openDataSources } from '../core/store/data-source.factory.js';
import { AccountEntity } from '../core/store/entities/account.entity.js';
import { DomainEntity } from '../core/store/entities/domain.entity.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const USERS = Number(process.argv[2] ?? 10_000);
const ROWS_PER_INSERT = 500;
const ROUNDS = 20;
const PASSWORD = 'bench-admin-pass';

async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  const sources = await openDataSources(loadConfig({ ...process.env, ...env }));
  try {
    const manager = sources.writer.manager;
    const domain = await manager.findOneByOrFail(DomainEntity, { name: 'bench.example' });
    const root = await manager.findOneByOrFail(AccountEntity, { address: 'root@bench.example' });
    const now = Date.now();
    for (let start = 0; start < USERS; start += ROWS_PER_INSERT) {
      const rows = Array.from({ length: Math.min(ROWS_PER_INSERT, USERS - start) }, (_, offset) => {
        const i = start + offset;
        return {
          address: `user${String(i).padStart(5, '0')}@bench.example`,
          domainId: domain.id,
          displayName: `Bench User ${i}`,
          passwordHash: root.passwordHash,
          quotaBytes: 0,
          usedBytes: (i * 7919) % 100_000_000,
          enabled: true,
          role: 'user' as const,
          failedLogins: 0,
          lockedUntil: 0,
          createdAt: now + i,
          protocols: ['smtp', 'imap', 'pop3', 'webmail', 'mobile'],
          expiresAt: 0,
        };
      });
      await manager.insert(AccountEntity, rows);
    }
  } finally {
    await closeDataSources(sources);
  }
}

const server = await MailhiveProcess.create();
try {
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', 'root@bench.example', '--password', PASSWORD, '--admin');
  await seed(server.env);
  await server.start();
  const endpoint = `http://127.0.0.1:${server.ports.http}/graphql`;
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { total?: number; token?: string }>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  const token = (
    await post('mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }', {
      e: 'root@bench.example',
      p: PASSWORD,
    })
  ).adminLogin!.token!;
  const pageQuery =
    'query($s: String!, $o: AdminUserSort!, $d: Boolean!, $f: Int!) { adminUsers(search: $s, sort: $o, descending: $d, offset: $f, limit: 50) { total users { address displayName quotaBytes usedBytes disabled role } } }';
  const cases: [string, Record<string, unknown>][] = [
    ['first', { s: '', o: 'ADDRESS', d: false, f: 0 }],
    ['deep', { s: '', o: 'ADDRESS', d: false, f: USERS - 100 }],
    ['by-used', { s: '', o: 'USED', d: true, f: 0 }],
    ['search', { s: 'user0421', o: 'ADDRESS', d: false, f: 0 }],
    ['search-name', { s: 'Bench User 99', o: 'NAME', d: false, f: 0 }],
  ];
  const medians: string[] = [];
  let worst = 0;
  for (const [name, variables] of cases) {
    await post(pageQuery, variables, token);
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await post(pageQuery, variables, token);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    worst = Math.max(worst, median);
    medians.push(`${name} ${median.toFixed(1)}`);
  }
  const verdict = worst < 100 ? 'under' : 'OVER';
  console.log(
    `admin-users: ${USERS + 1} users on ${process.env.MAILHIVE_TEST_DB ?? 'sqlite'}: page of 50 median ms ${medians.join(', ')}; slowest ${worst.toFixed(1)} ms (${verdict} the 100 ms target)`,
  );
} finally {
  await server.destroy();
}
