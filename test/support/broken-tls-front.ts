import { connect, createServer, type Server } from 'node:net';

/**
 * An SMTP server whose STARTTLS is broken: it answers 220 to STARTTLS, then sends no TLS handshake. Everything
 * before that, and every session that never asks for STARTTLS, goes to the SMTP server on `upstreamPort`.
 * `commands` records what clients sent.
 */
export function brokenTlsFront(upstreamPort: number, commands: string[] = []): Server {
  return createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      commands.push(text);
      if (!/^STARTTLS\r\n/i.test(text)) return void upstream.write(chunk);
      upstream.unpipe(client);
      upstream.destroy();
      client.end('220 2.0.0 Ready to start TLS\r\nthis is no TLS handshake\r\n');
    });
  });
}
