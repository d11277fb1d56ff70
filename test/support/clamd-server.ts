import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLAMD_BIN = '/usr/sbin/clamd';

/** The EICAR anti-virus test file (68 bytes): every scanner reports it, and it does no harm. */
export const EICAR = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;

const READY_TIMEOUT_MS = 60_000;

/**
 * Debian's clamd (`clamav-daemon`) for the anti-virus tests, on a unix socket in a temporary directory (no port to
 * race for), with a signature database built here: one body signature for EICAR, since nothing can be downloaded.
 */
export class ClamdServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'mailhive-clamd-'));
  readonly socket = join(this.dir, 'clamd.sock');
  private child: ChildProcess | null = null;
  private output = '';

  static available(): boolean {
    return existsSync(CLAMD_BIN);
  }

  async start(): Promise<void> {
    const db = join(this.dir, 'db');
    mkdirSync(db, { recursive: true });
    writeFileSync(join(db, 'mailhive-test.ndb'), `Mailhive-Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
    const config = join(this.dir, 'clamd.conf');
    writeFileSync(
      config,
      [
        `LocalSocket ${this.socket}`,
        `DatabaseDirectory ${db}`,
        'Foreground yes',
        `LogFile ${join(this.dir, 'clamd.log')}`,
        'ScanMail yes',
        'SelfCheck 3600',
      ].join('\n') + '\n',
    );
    const child = spawn(CLAMD_BIN, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!existsSync(this.socket)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`clamd did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
