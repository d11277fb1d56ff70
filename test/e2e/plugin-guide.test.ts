import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess, runCli } from '../support/mailhive-process.js';
import { graphqlClient, login } from './graphql-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The code blocks of docs/plugins.md that name a file (```ts file=PATH). */
function guideFiles(): Record<string, string> {
  const guide = readFileSync(join(ROOT, 'docs/plugins.md'), 'utf8');
  return Object.fromEntries([...guide.matchAll(/```ts file=(\S+)\n([\s\S]*?)```/g)].map((match) => [match[1]!, match[2]!]));
}

/**
 * A plugin as its author makes one, outside the tree: `mailhive plugin new` and the guide's worked example, each
 * built with swc beside a link to the plugin API, unit-tested with vitest, and run by a real server.
 */
describe('plugin developer guide and scaffolding', () => {
  let work: string;
  let server: MailhiveProcess;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'mailhive-plugin-dev-'));
    // The layout of a checkout: plugins/NAME beside core/ (sources) and, once built, beside dist's core/.
    symlinkSync(join(ROOT, 'core'), join(work, 'core'));
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
    mkdirSync(join(work, 'built'));
    symlinkSync(join(ROOT, 'dist/core'), join(work, 'built/core'));
  });

  afterAll(async () => {
    await server?.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  it('scaffolds a plugin whose own test passes', async () => {
    const created = await runCli(['plugin', 'new', 'greeter', '--dir', join(work, 'plugins/greeter')], {});
    expect(created).toMatchObject({
      code: 0,
      stdout: `plugin greeter created in ${join(work, 'plugins/greeter')}: add "greeter" to MAILHIVE_PLUGINS to load it\n`,
    });
    expect(existsSync(join(work, 'plugins/greeter/index.ts')) && existsSync(join(work, 'plugins/greeter/index.spec.ts'))).toBe(true);
    expect((await runCli(['plugin', 'new', 'greeter', '--dir', join(work, 'plugins/greeter')], {})).code).toBe(1);
    expect((await runCli(['plugin', 'new', 'Bad Name'], {})).code).toBe(2);
    const tested = await run(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--root', work, 'plugins/greeter'], work);
    expect(tested.output).toMatch(/1 passed/);
    expect(tested.code).toBe(0);
  }, 120_000);

  it("builds the guide's example and the scaffold, and a server runs both", async () => {
    for (const [path, text] of Object.entries(guideFiles())) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    const built = await run(
      join(ROOT, 'node_modules/.bin/swc'),
      ['plugins', '-d', 'built', '--config-file', join(ROOT, '.swcrc'), '--ignore', '**/*.spec.ts', '--quiet'],
      work,
    );
    expect(built.code, built.output).toBe(0);

    server = await MailhiveProcess.create({
      MAILHIVE_PLUGINS: [join(work, 'built/plugins/greeter/index.js'), join(work, 'built/plugins/rate-guard/index.js')].join(','),
    });
    expect((await server.cli('plugin', 'set', 'rate-guard', 'limit=2')).code).toBe(0);
    await server.start();
    await server.cli('domain', 'add', 'guide.example');
    await server.cli('user', 'add', 'kim@guide.example', '--password', 'password123');
    await server.cli('user', 'add', 'root@guide.example', '--password', 'password123', '--admin');

    const send = (from: string, subject: string) =>
      createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true }).sendMail({
        from,
        to: 'kim@guide.example',
        subject,
        text: 'hello',
      });
    // The scaffold: refuses a subject with its configured word.
    await expect(send('ann@outside.test', 'a forbidden subject')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('subject contains "forbidden"'),
    });
    // The guide's rate-guard: the third message of the hour from one sender is deferred.
    await send('bob@outside.test', 'one');
    await send('bob@outside.test', 'two');
    await expect(send('bob@outside.test', 'three')).rejects.toMatchObject({
      responseCode: 450,
      response: expect.stringContaining('too many messages this hour'),
    });
    const admin = await login(server, 'root@guide.example', 'password123');
    const refused = await graphqlClient(server)('{ pluginQuery(plugin: "rate-guard", field: "refused") }', {}, admin);
    expect(refused.data?.pluginQuery).toBe('1');
  }, 120_000);
});
