import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { WireSocket } from './wire-socket.js';

export const DOVECOT_BIN = '/usr/sbin/dovecot';

/** The unprivileged account Dovecot runs as when the tests run as root (Debian's `nobody`/`nogroup`). */
const NOBODY = { name: 'nobody', group: 'nogroup', uid: 65534, gid: 65534 };

/** Attempts at starting on a fresh port before giving up (see `DovecotServer.start`). */
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 15_000;

/** Services of Debian's dovecot-core that may run; each is given the unprivileged user and no chroot. */
const SERVICES = [
  'imap-login',
  'imap',
  'anvil',
  'auth',
  'auth-worker',
  'config',
  'dict',
  'dict-async',
  'dns-client',
  'indexer',
  'indexer-worker',
  'ipc',
  'log',
  'stats',
  'imap-hibernate',
  'imap-urlauth',
  'imap-urlauth-login',
  'imap-urlauth-worker',
  'doveadm',
  'aggregator',
  'director',
  'replicator',
  'health-check',
  'pop3-login',
  'submission-login',
  'lmtp',
];

/** A port the kernel gave to a listener on port 0 of loopback, released again for Dovecot to bind. */
async function kernelPickedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Dovecot 2.3 (Debian's `dovecot-imapd`) as a reference IMAP server for differential tests: its own configuration,
 * passwd-file users, maildir and log in a temporary directory, IMAP without TLS on a loopback port, run as an
 * unprivileged user (`nobody` when the tests run as root, the current user otherwise).
 *
 * Port: Dovecot reads its listeners from the configuration, so a port must be chosen before it starts. The kernel
 * picks one (a listener on port 0, closed again), and if another process takes it before Dovecot binds, Dovecot
 * exits with "Address already in use" and start() tries again with a new port. Inheriting a bound socket would avoid
 * that window, but Dovecot only accepts one through systemd socket activation, which checks LISTEN_PID against its
 * own pid and matches listeners by address; a retry on a failed bind is simpler and just as sure.
 */
export class DovecotServer {
  port = 0;
  /** POP3 port, when created with `{ pop3: true }` (chosen by the kernel like `port`); 0 otherwise. */
  pop3Port = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly dir: string,
    private readonly users: Record<string, string>,
    private readonly options: { pop3: boolean },
  ) {}

  static available(): boolean {
    return existsSync(DOVECOT_BIN);
  }

  /** A server with these users (address → password), serving IMAP and, with `pop3`, POP3 (dovecot-pop3d); call start(). */
  static create(users: Record<string, string>, options: { pop3?: boolean } = {}): DovecotServer {
    return new DovecotServer(mkdtempSync(join(tmpdir(), 'mailhive-dovecot-')), users, { pop3: options.pop3 ?? false });
  }

  /** The maildir of a user, for a test to put messages in before it starts the server. */
  maildir(user: string): string {
    return join(this.dir, 'mail', user);
  }

  get logPath(): string {
    return join(this.dir, 'dovecot.log');
  }

  log(): string {
    return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
  }

  async start(): Promise<void> {
    let lastError = '';
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      this.port = await kernelPickedPort();
      if (this.options.pop3) this.pop3Port = await kernelPickedPort();
      const error = await this.startOn(this.port);
      if (error === null) return;
      lastError = error;
      // Only a lost race for the port is worth another attempt.
      if (!/address already in use/i.test(error)) break;
    }
    throw new Error(`dovecot did not start: ${lastError}`);
  }

  /** null when Dovecot answers on `port`, else what it said before exiting. */
  private async startOn(port: number): Promise<string | null> {
    const account = this.account();
    this.writeConfig(port, account);
    let output = '';
    const child = spawn(DOVECOT_BIN, ['-F', '-c', join(this.dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(process.getuid?.() === 0 ? { uid: NOBODY.uid, gid: NOBODY.gid } : {}),
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
    let gone = false;
    void this.exited.then(() => {
      gone = true;
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (gone) {
        this.child = null;
        return `${output}${this.log()}`.trim() || 'exited';
      }
      if (await this.greets(port)) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop();
    return `no greeting within ${READY_TIMEOUT_MS} ms: ${output}${this.log()}`;
  }

  private async greets(port: number): Promise<boolean> {
    let wire: WireSocket;
    try {
      wire = await WireSocket.open(port);
    } catch {
      return false;
    }
    try {
      const greeting = await wire.until(() => (wire.unread.includes('\r\n') ? wire.unread.toString('latin1') : undefined), 2000);
      return greeting?.startsWith('* OK') ?? false;
    } catch {
      return false;
    } finally {
      wire.close();
    }
  }

  private account(): { name: string; group: string; uid: number; gid: number } {
    if (process.getuid?.() === 0) return NOBODY;
    const me = userInfo();
    const group = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((line) => line.split(':')[2] === String(me.gid))
      ?.split(':')[0];
    return { name: me.username, group: group ?? me.username, uid: me.uid, gid: me.gid };
  }

  private writeConfig(port: number, account: { name: string; group: string; uid: number; gid: number }): void {
    const { dir } = this;
    mkdirSync(join(dir, 'mail'), { recursive: true });
    mkdirSync(join(dir, 'run'), { recursive: true });
    writeFileSync(
      join(dir, 'passwd'),
      Object.entries(this.users)
        .map(([user, password]) => `${user}:{PLAIN}${password}\n`)
        .join(''),
    );
    const services = [...SERVICES, ...(this.options.pop3 ? ['pop3'] : [])]
      .map((name) => `service ${name} {\n  user = ${account.name}\n  chroot =\n}\n`)
      .join('');
    writeFileSync(
      join(dir, 'dovecot.conf'),
      `# Written by test/support/dovecot-server.ts for one test run.
base_dir = ${dir}/run
state_dir = ${dir}/run/state
instance_name = mailhive-test-${port}
protocols = imap${this.options.pop3 ? ' pop3' : ''}
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${this.logPath}
info_log_path = ${this.logPath}
default_internal_user = ${account.name}
default_internal_group = ${account.group}
default_login_user = ${account.name}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${account.uid} gid=${account.gid} home=${dir}/mail/%u
}
${services}service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
${
  this.options.pop3
    ? `service pop3-login {\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = ${this.pop3Port}\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}\n`
    : ''
}`,
    );
    if (process.getuid?.() === 0) chownTree(dir, account.uid, account.gid);
  }

  /** Stops Dovecot (SIGTERM to the master, which ends its children) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const name of ['mail', 'run', 'passwd', 'dovecot.conf']) {
    const path = join(dir, name);
    if (existsSync(path)) chownSync(path, uid, gid);
  }
  // Maildirs a test filled before starting (see `maildir`), file by file.
  const mail = join(dir, 'mail');
  if (existsSync(mail)) for (const path of walk(mail)) chownSync(path, uid, gid);
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    yield path;
    if (entry.isDirectory()) yield* walk(path);
  }
}
