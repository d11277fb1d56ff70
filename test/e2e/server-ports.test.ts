import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess, runCli, type Ports } from '../support/mailhive-process.js';
import { WireSocket } from '../support/wire-socket.js';

/** What each listener says first, and whether it speaks TLS from the first byte. */
const GREETINGS: Record<Exclude<keyof Ports, 'http'>, { tls: boolean; greeting: string }> = {
  smtp: { tls: false, greeting: '220 ' },
  submission: { tls: false, greeting: '220 ' },
  smtps: { tls: true, greeting: '220 ' },
  pop3: { tls: false, greeting: '+OK' },
  pop3s: { tls: true, greeting: '+OK' },
  imap: { tls: false, greeting: '* OK' },
  imaps: { tls: true, greeting: '* OK' },
};

async function firstLine(port: number, tls: boolean): Promise<string | undefined> {
  const socket = await WireSocket.open(port, tls);
  try {
    return await socket.until(() => {
      const end = socket.unread.indexOf('\r\n');
      return end < 0 ? undefined : socket.take(end + 2).toString('latin1');
    }, 5_000);
  } finally {
    socket.close();
  }
}

/** Every MAILHIVE_*_PORT set to 0: the kernel picks the ports and <dataDir>/ports.json names them. */
describe('ports set to 0', () => {
  let server: MailhiveProcess;
  const portsFile = () => JSON.parse(readFileSync(join(server.dataDir, 'ports.json'), 'utf8')) as Ports;

  beforeAll(async () => {
    server = await MailhiveProcess.create(); // every port 0 unless a test asks otherwise
    await server.start();
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('writes ports.json with a distinct bound port for every listener', () => {
    const written = portsFile();
    expect(written).toEqual(server.ports);
    const ports = Object.values(written);
    expect(ports).toHaveLength(8);
    for (const port of ports) expect(port).toBeGreaterThan(0);
    expect(new Set(ports).size).toBe(8);
  });

  it("answers on each port named in ports.json with that port's protocol", async () => {
    const written = portsFile();
    for (const [name, { tls, greeting }] of Object.entries(GREETINGS)) {
      expect((await firstLine(written[name as keyof Ports], tls))?.startsWith(greeting), name).toBe(true);
    }
    expect((await fetch(`http://127.0.0.1:${written.http}/healthz`)).status).toBe(200);
  });

  it('leaves ports.json alone when a second server on the data directory is refused', async () => {
    const before = readFileSync(join(server.dataDir, 'ports.json'), 'utf8');
    const second = await runCli(['start'], {
      ...server.env,
      ...Object.fromEntries(Object.keys(GREETINGS).map((name) => [`MAILHIVE_${name.toUpperCase()}_PORT`, '0'])),
    });
    expect(second.code).toBe(1);
    expect(readFileSync(join(server.dataDir, 'ports.json'), 'utf8')).toBe(before);
  });

  it('comes back on the same ports after a crash and a restart', async () => {
    const before = { ...server.ports };
    await server.crash();
    await server.start();
    expect(server.ports).toEqual(before);
    expect(portsFile()).toEqual(before);
    expect(await firstLine(server.ports.imap, false)).toMatch(/^\* OK/);
  });
});
