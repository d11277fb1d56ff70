import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { residentBytes } from './process-memory.js';

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

/** The environment variable that sets each port. */
const PORT_VARIABLES: Record<keyof Ports, string> = {
  smtp: 'MAILHIVE_SMTP_PORT',
  submission: 'MAILHIVE_SUBMISSION_PORT',
  smtps: 'MAILHIVE_SMTPS_PORT',
  pop3: 'MAILHIVE_POP3_PORT',
  pop3s: 'MAILHIVE_POP3S_PORT',
  imap: 'MAILHIVE_IMAP_PORT',
  imaps: 'MAILHIVE_IMAPS_PORT',
  http: 'MAILHIVE_HTTP_PORT',
};

const PORT_NAMES = Object.keys(PORT_VARIABLES) as (keyof Ports)[];

/** Listens on port 0 of `host` (the kernel picks a port) and resolves with the port bound. */
export function listenOnFreePort(server: Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/**
 * A loopback port nothing listens on, for tests that want a connection refused. Nothing binds it later in the
 * test, so the gap between closing and using it does no harm; a port some server must bind is never chosen so.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnFreePort(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAILHIVE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A real Mailhive server process (the built `bin/mailhive.js start`) on loopback ports, a data directory and a
 * database of its own. Tests talk to it with real clients only.
 *
 * The first start binds every port to 0 (the kernel picks; a port guessed free could be taken by a parallel test
 * before the server binds it) and reads the ports bound from `<dataDir>/ports.json`. A restart asks for those same
 * ports again, so a test keeps using `ports` across stop()/crash() and start(): they were just released by this
 * server itself.
 */
export class MailhiveProcess {
  readonly env: NodeJS.ProcessEnv;
  private child: ChildProcess | null = null;
  private output = '';
  private bound: Ports | null = null;

  private constructor(
    readonly dataDir: string,
    private readonly database: TestDatabase,
    extraEnv: Record<string, string>,
  ) {
    this.env = {
      MAILHIVE_DATA_DIR: dataDir,
      MAILHIVE_BIND: '127.0.0.1',
      MAILHIVE_HOSTNAME: 'mail.test.example',
      MAILHIVE_LOG_LEVEL: process.env.MAILHIVE_TEST_LOG_LEVEL ?? 'warn',
      ...Object.fromEntries(PORT_NAMES.map((name) => [PORT_VARIABLES[name], '0'])),
      ...(database.url ? { MAILHIVE_DATABASE_URL: database.url } : {}),
      ...extraEnv,
    };
  }

  static async create(extraEnv: Record<string, string> = {}): Promise<MailhiveProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailhive-e2e-'));
    return new MailhiveProcess(dataDir, await createTestDatabase(), extraEnv);
  }

  /** The ports the server bound at its first start (a restart binds the same ones). */
  get ports(): Ports {
    if (!this.bound) throw new Error('MailhiveProcess.ports is known only after start()');
    return this.bound;
  }

  /** Runs a CLI command against this server's data directory and database. */
  cli(...args: string[]): Promise<CliResult> {
    return runCli(args, this.env);
  }

  /** Starts the server and resolves once /healthz answers, on the port named in ports.json. */
  async start(): Promise<void> {
    this.output = '';
    // A crashed server leaves its ports.json behind; it must not be read as the new one's.
    rmSync(join(this.dataDir, 'ports.json'), { force: true });
    // MAILHIVE_SERVER_NODE_ARGS passes flags such as --cpu-prof to the server only, for profiling a benchmark.
    const nodeArgs = process.env.MAILHIVE_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, MAILHIVE_BIN, 'start'], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const deadline = Date.now() + 20_000;
    let ports: Ports | null = null;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mailhive exited with ${child.exitCode}:\n${this.output}`);
      ports ??= this.readPortsFile();
      if (ports && (await healthy(ports.http))) {
        this.remember(ports);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mailhive did not become ready:\n${this.output}`);
  }

  /** The ports.json the server writes once every listener is bound, or null while it is not there yet. */
  private readPortsFile(): Ports | null {
    let text: string;
    try {
      text = readFileSync(join(this.dataDir, 'ports.json'), 'utf8');
    } catch {
      return null;
    }
    const written = JSON.parse(text) as Partial<Ports>;
    const missing = PORT_NAMES.filter((name) => !this.isOff(name) && typeof written[name] !== 'number');
    if (missing.length > 0) throw new Error(`ports.json names no port for ${missing.join(', ')}:\n${this.output}`);
    // A port set to "off" is not in the file; 0 stands for it here.
    return Object.fromEntries(PORT_NAMES.map((name) => [name, written[name] ?? 0])) as unknown as Ports;
  }

  /** Keeps the bound ports, and asks for the same ones on the next start. */
  private remember(ports: Ports): void {
    this.bound = ports;
    for (const name of PORT_NAMES) if (!this.isOff(name)) this.env[PORT_VARIABLES[name]] = String(ports[name]);
  }

  private isOff(name: keyof Ports): boolean {
    return this.env[PORT_VARIABLES[name]] === 'off';
  }

  /** CPU seconds (user + system) the server has used so far, all threads and its main thread, for benchmarks; Linux only. */
  cpuSeconds(): { process: number; mainThread: number } {
    const pid = this.child?.pid;
    if (!pid) return { process: 0, mainThread: 0 };
    return { process: ticks(`/proc/${pid}/stat`), mainThread: ticks(`/proc/${pid}/task/${pid}/stat`) };
  }

  /** The server child's process id while it runs (for /proc readings such as its resident memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the server child is still alive: false after it exited, crashed or was stopped. */
  get running(): boolean {
    const child = this.child;
    return child !== null && child.exitCode === null && child.signalCode === null;
  }

  /** Resident set size of the server process in bytes; 0 when it does not run. */
  rssBytes(): number {
    return residentBytes(this.pid);
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

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false; // not listening yet
  }
}

/** utime + stime of a proc(5) stat file (fields 14 and 15, counted after the parenthesised command name), in seconds. */
function ticks(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
