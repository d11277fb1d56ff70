import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATS_SERVER = '/usr/sbin/nats-server';

/**
 * A NATS server of the test's own (Debian's nats-server), never the machine's: on a port the kernel picks at the
 * first start, and on that same port after stop(), so a test can cut the bus and bring it back.
 */
export class NatsTestServer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'mailhive-nats-'));
  private child: ChildProcess | null = null;
  port = -1;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(this.port), '--ports_file_dir', this.dir], { stdio: 'ignore' });
    this.child = child;
    const portsFile = `nats-server_${child.pid}.ports`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
      if (readdirSync(this.dir).includes(portsFile)) {
        const ports = JSON.parse(readFileSync(join(this.dir, portsFile), 'utf8')) as { nats: string[] };
        this.port = Number(new URL(ports.nats[0]!).port);
        return this;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('nats-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
    for (const name of readdirSync(this.dir)) rmSync(join(this.dir, name), { force: true });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
