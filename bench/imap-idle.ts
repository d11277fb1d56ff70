// Memory of idle IMAP sessions: N connections log in, SELECT INBOX and IDLE; the server's resident memory (from
// /metrics) before and after gives bytes per session and a projection for 10,000. Prints one summary line.
// Run: npm run build && node dist/bench/imap-idle.js [connections=500]
import { connect, type Socket } from 'node:net';
import { MailhiveProcess } from '../test/support/mailhive-process.js';

const count = Number(process.argv[2] ?? 500);
const PARALLEL = 8;
const WARM_UP = 200;

async function residentBytes(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /^mailhive_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!match) throw new Error('no resident memory metric');
  return Number(match[1]);
}

/** Sends lines one by one, each after the previous reply ended with `until`. */
async function converse(socket: Socket, steps: [string | null, RegExp][]): Promise<void> {
  let buffer = '';
  let wake: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    wake?.();
  });
  for (const [line, until] of steps) {
    if (line) socket.write(line);
    while (!until.test(buffer))
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    buffer = '';
  }
}

// Every session comes from 127.0.0.1: the per-address cap must hold them all.
const server = await MailhiveProcess.create({ MAILHIVE_IMAP_MAX_CONNECTIONS_PER_ADDRESS: String(WARM_UP + count) });
const sockets: Socket[] = [];
try {
  await server.start();
  await server.cli('domain', 'add', 'idle.example');
  await server.cli('user', 'add', 'idle@idle.example', '--password', 'secret123');
  const open = async (total: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < total) {
          next++;
          const socket = connect({ port: server.ports.imap, host: '127.0.0.1' });
          sockets.push(socket);
          await converse(socket, [
            [null, /\r\n$/],
            ['a LOGIN idle@idle.example secret123\r\n', /a OK [^\r\n]*\r\n$/],
            ['b SELECT INBOX\r\n', /b OK [^\r\n]*\r\n$/],
            ['c IDLE\r\n', /\+ idling\r\n$/],
          ]);
        }
      }),
    );
  };
  // A first batch warms up code and pools, so the difference counts sessions only.
  await open(WARM_UP);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const before = await residentBytes(server.ports.http);
  await open(count);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = await residentBytes(server.ports.http);
  const perSession = (after - before) / count;
  console.log(
    `imap-idle: ${count} idle sessions add ${((after - before) / 1024 / 1024).toFixed(1)} MiB ` +
      `(${(perSession / 1024).toFixed(1)} KiB each; server RSS ${(after / 1024 / 1024).toFixed(0)} MiB); ` +
      `projected for 10,000: ${((before + perSession * 10_000) / 1024 / 1024).toFixed(0)} MiB`,
  );
} finally {
  for (const socket of sockets) socket.destroy();
  await server.destroy();
}
