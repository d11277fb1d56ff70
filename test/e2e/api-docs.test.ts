// Runs every shell and JavaScript example of docs/api.md against a real server, in the order the guide gives them,
// and checks each prints what the comment before it says it should.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { login } from './graphql-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUIDE = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

interface Example {
  language: 'sh' | 'js';
  code: string;
  expect: string;
  line: number;
}

/** Each ```sh or ```js block, with the `<!-- expect: TEXT -->` comment that must come right before it. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(sh|js)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    const expectation = /^<!-- expect: (.+) -->$/.exec(lines[i - 1] ?? '');
    if (!expectation) throw new Error(`docs/api.md:${i + 1}: an example without an <!-- expect: ... --> comment before it`);
    found.push({
      language: fence[1] as Example['language'],
      code: lines.slice(i + 1, end).join('\n'),
      expect: expectation[1]!,
      line: i + 1,
    });
    i = end;
  }
  return found;
}

/**
 * Whether the shell examples can run: they use curl and jq. Outside CI a machine without them skips those examples
 * with one clear line; in CI (.ci/run installs both) their absence is a failure.
 */
function shellToolsPresent(): boolean {
  const missing = ['curl', 'jq'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length === 0) return true;
  if (process.env.CI) throw new Error(`${missing.join(' and ')} missing: .ci/run installs them (apt-get install -y curl jq)`);
  console.warn(`docs/api.md shell examples skipped: ${missing.join(' and ')} not installed (apt-get install -y curl jq)`);
  return false;
}

describe('docs/api.md examples', () => {
  const EMAIL = 'alice@docs.example';
  const PASSWORD = 'Docs-Example-Pass1';
  let server: MailhiveProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
    expect((await server.cli('domain', 'add', 'docs.example')).code).toBe(0);
    expect((await server.cli('user', 'add', EMAIL, '--password', PASSWORD)).code).toBe(0);
    env = { MAILHIVE: `http://127.0.0.1:${server.ports.http}`, EMAIL, PASSWORD, TOKEN: await login(server, EMAIL, PASSWORD) };
  });

  afterAll(async () => {
    await server?.destroy();
  });

  const all = examples(GUIDE);
  const shell = shellToolsPresent();

  it('has shell and JavaScript examples, each with what it prints', () => {
    expect(all.filter((example) => example.language === 'sh').length).toBeGreaterThanOrEqual(5);
    expect(all.filter((example) => example.language === 'js').length).toBeGreaterThanOrEqual(2);
  });

  for (const example of all) {
    it.skipIf(example.language === 'sh' && !shell)(
      `runs the ${example.language} example at line ${example.line} and prints ${example.expect}`,
      () => {
        const [command, args] =
          example.language === 'sh'
            ? ['bash', ['-euo', 'pipefail', '-c', example.code]]
            : [process.execPath, ['--input-type=module', '-e', example.code]];
        // From the repository, so that the JavaScript examples find graphql-ws and ws in its node_modules.
        const run = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(run.stdout).toContain(example.expect);
      },
    );
  }
});
