import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The repository root, found from here both in the sources and in dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const ROOT = findRoot();
export const MAILHIVE_BIN = join(ROOT, 'bin', 'mailhive.js');

export interface Ports {
  smtp: number;
  submission: number;
  smtps: number;
  pop3: number;
  pop3s: number;
  imap: number;
  imaps: number;
  http: number;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Ports the OS reports free right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAILHIVE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A real Mailhive server process (the built `bin/mailhive.js start`) on free loopback ports, a data directory
 * and a database of its own. Tests talk to it with real clients only.
 */
export class MailhiveProcess {
  readonly env: NodeJS.ProcessEnv;
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(readonly ports: Ports, readonly dataDir: string, private readonly database: TestDatabase, extraEnv: Record<string, string>) {
    this.env = {
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_BIND: '127.0.0.1',
      MAILHIVE_HOSTNAME: 'mail.test.example',
      MAILHIVE_LOG_LEVEL: process.env.MAILHIVE_TEST_LOG_LEVEL ?? 'warn',
      MAILHIVE_SMTP_PORT: String(ports.smtp),
      MAILHIVE_SUBMISSION_PORT: String(ports.submission),
      MAILHIVE_SMTPS_PORT: String(ports.smtps),
      MAILHIVE_POP3_PORT: String(ports.pop3),
      MAILHIVE_POP3S_PORT: String(ports.pop3s),
      MAILHIVE_IMAP_PORT: String(ports.imap),
      MAILHIVE_IMAPS_PORT: String(ports.imaps),
      MAILHIVE_HTTP_PORT: String(ports.http),
      ...(database.url ? { MAILHIVE_DATABASE_URL: database.url } : {}),
      ...extraEnv,
    };
  }

  static async create(extraEnv: Record<string, string> = {}): Promise<MailhiveProcess> {
    const [smtp, submission, smtps, pop3, pop3s, imap, imaps, http] = await freePorts(8);
    const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-e2e-'));
    return new MailhiveProcess({ smtp, submission, smtps, pop3, pop3s, imap, imaps, http }, dataDir, await createTestDatabase(), extraEnv);
  }

  /** Runs a CLI command against this server's data directory and database. */
  cli(...args: string[]): Promise<CliResult> {
    return runCli(args, this.env);
  }

  /** Starts the server and resolves once /healthz answers. */
  async start(): Promise<void> {
    this.output = '';
    // MAILHIVE_SERVER_NODE_ARGS passes flags such as --cpu-prof to the server only, for profiling a benchmark.
    const nodeArgs = process.env.MAILHIVE_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, MAILHIVE_BIN, 'start'], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mailhive exited with ${child.exitCode}:\n${this.output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.ports.http}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mailhive did not become ready:\n${this.output}`);
  }

  /** CPU seconds (user + system) the server has used so far, all threads and its main thread, for benchmarks; Linux only. */
  cpuSeconds(): { process: number; mainThread: number } {
    const pid = this.child?.pid;
    if (!pid) return { process: 0, mainThread: 0 };
    return { process: ticks(`/proc/${pid}/stat`), mainThread: ticks(`/proc/${pid}/task/${pid}/stat`) };
  }

  /** The server's process id while it runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Resident set size of the server process in bytes (VmRSS of /proc/PID/status); Linux only. */
  rssBytes(): number {
    const pid = this.child?.pid;
    if (!pid) return 0;
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  }

  /** Everything the process printed so far. */
  logs(): string {
    return this.output;
  }

  /** Sends SIGTERM and waits for the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    this.child = null;
    return code;
  }

  /** Kills the server with SIGKILL, as a crash would, and waits for it to be gone. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Stops the server and removes its data directory and database. */
  async destroy(): Promise<void> {
    await this.stop();
    await this.database.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** utime + stime of a proc(5) stat file (fields 14 and 15, counted after the parenthesised command name), in seconds. */
function ticks(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
