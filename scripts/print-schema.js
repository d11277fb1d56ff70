// Writes the GraphQL schema of the built server to schema.gql: starts it on a scratch data directory with only
// HTTP open, reads the schema by introspection and prints it sorted. `npm run schema` runs this.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';

export async function fetchSchema(endpoint) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const { data } = await response.json();
  return `${printSchema(lexicographicSortSchema(buildClientSchema(data)))}\n`;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-schema-'));
  const port = await freePort();
  const off = Object.fromEntries(
    ['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']),
  );
  const child = spawn(process.execPath, ['bin/mailhive.js', 'start'], {
    env: {
      ...process.env,
      ...off,
      MAILHIVE_HTTP_PORT: String(port),
      MAILHIVE_BIND: '127.0.0.1',
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_LOG_LEVEL: 'warn',
      MAILHIVE_DATABASE_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    writeFileSync('schema.gql', await fetchSchema(`http://127.0.0.1:${port}/graphql`));
    console.log('schema.gql written');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
