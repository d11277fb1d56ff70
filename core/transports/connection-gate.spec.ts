import { connect, createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkList } from '../util/network-list.js';
import { ConnectionGate, type GateLimits } from './connection-gate.js';

const silent = pino({ level: 'silent' });
const limits = (ceiling: number, perAddress = 100, trusted: string[] = []): GateLimits => ({
  ceiling,
  perAddress: { smtp: perAddress, imap: perAddress, pop3: perAddress, http: perAddress },
  trusted: new NetworkList(trusted),
});

describe('ConnectionGate.admit', () => {
  it('caps each protocol per client network, and every protocol together under the ceiling', () => {
    const gate = new ConnectionGate(limits(3, 1), silent);
    const first = gate.admit('imap', '2001:db8::1');
    expect(first.kind).toBe('admitted');
    expect(gate.admit('imap', '2001:db8::2')).toEqual({ kind: 'refused', reason: 'address' });
    expect(gate.admit('pop3', '2001:db8::2').kind).toBe('admitted');
    expect(gate.admit('http', '192.0.2.7').kind).toBe('admitted');
    expect(gate.admit('smtp', '192.0.2.8')).toEqual({ kind: 'refused', reason: 'ceiling' });
    expect(gate.openConnections).toBe(3);
    if (first.kind === 'admitted') {
      first.release();
      first.release();
    }
    expect(gate.openConnections).toBe(2);
    expect(gate.admit('imap', '2001:db8::3').kind).toBe('admitted');
  });

  it('exempts trusted networks from the per-address cap but not from the ceiling', () => {
    const gate = new ConnectionGate(limits(4, 1, ['127.0.0.0/8', '::1/128']), silent);
    const trusted = [gate.admit('smtp', '127.0.0.1'), gate.admit('smtp', '::ffff:127.0.0.1'), gate.admit('smtp', '::1')];
    expect(trusted.map((admission) => admission.kind)).toEqual(['admitted', 'admitted', 'admitted']);
    expect(gate.admit('smtp', '192.0.2.1').kind).toBe('admitted');
    expect(gate.admit('smtp', '127.0.0.1')).toEqual({ kind: 'refused', reason: 'ceiling' });
    for (const admission of trusted) if (admission.kind === 'admitted') admission.release();
    expect(gate.admit('smtp', '192.0.2.1')).toEqual({ kind: 'refused', reason: 'address' });
    expect(gate.openConnections).toBe(1);
  });
});

describe('ConnectionGate.guard', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  /** Everything the server says on one connection, until it closes. */
  const transcript = (port: number): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });

  it('hands admitted sockets to the server and tells a refused one why before closing it', async () => {
    const gate = new ConnectionGate(limits(10, 1), silent);
    const held: Socket[] = [];
    server = createServer((socket) => {
      held.push(socket);
      socket.write('hello\r\n');
    });
    gate.guard(server, { protocol: 'pop3', refusal: (reason) => `-ERR ${reason}\r\n` });
    const port = await new Promise<number>((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
    );
    const first = connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => first.once('data', resolve));
    expect(await transcript(port)).toBe('-ERR address\r\n');
    expect(held).toHaveLength(1);
    expect(gate.openConnections).toBe(1);
    first.destroy();
    await new Promise((resolve) => held[0]!.once('close', resolve));
    expect(gate.openConnections).toBe(0);
  });

  it('counts a socket out even when the server removed every listener on it (as smtp-server does at STARTTLS)', async () => {
    const gate = new ConnectionGate(limits(10, 1), silent);
    let accepted: Socket | null = null;
    server = createServer((socket) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      accepted = socket;
      socket.write('hello\r\n');
    });
    gate.guard(server, { protocol: 'smtp', refusal: () => 'busy\r\n' });
    const port = await new Promise<number>((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
    );
    const client = connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => client.once('data', resolve));
    expect(gate.openConnections).toBe(1);
    accepted!.destroy();
    client.destroy();
    expect(gate.openConnections).toBe(0);
    const again = connect({ port, host: '127.0.0.1' });
    expect(String(await new Promise((resolve) => again.once('data', resolve)))).toBe('hello\r\n');
    again.destroy();
  });

  it('closes a refused socket without a word when the policy has none', async () => {
    const gate = new ConnectionGate(limits(0), silent);
    server = createServer(() => {
      throw new Error('a refused socket reached the server');
    });
    gate.guard(server, { protocol: 'imap', refusal: null });
    const port = await new Promise<number>((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
    );
    expect(await transcript(port)).toBe('');
  });
});
