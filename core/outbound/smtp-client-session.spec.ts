import type { AddressInfo, Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenTlsFront } from '../../test/support/broken-tls-front.js';
import { SmtpClientSession, type Target } from './smtp-client-session.js';

/** SmtpClientSession against a real smtp-server behind a front whose STARTTLS handshake always fails. */
describe('SmtpClientSession opportunistic TLS', () => {
  const received: { to: string[]; secure: boolean }[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'relay' }),
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), secure: session.secure });
        callback();
      });
    },
  });
  const commands: string[] = [];
  let front: Server;
  let target: Target;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    front = brokenTlsFront((server.server.address() as AddressInfo).port, commands);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    target = { host: 'mx.example', address: '127.0.0.1', port: (front.address() as AddressInfo).port, secure: false, auth: null };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers in plaintext when the TLS handshake after STARTTLS fails', async () => {
    const session = await SmtpClientSession.open(target, 'client.example');
    const outcome = await session.send('a@client.example', ['b@mx.example'], Buffer.from('Subject: x\r\n\r\nx\r\n'));
    session.quit();
    expect(outcome).toMatchObject({ kind: 'done', results: [{ recipient: 'b@mx.example', status: 'delivered' }] });
    expect(received.at(-1)).toEqual({ to: ['b@mx.example'], secure: false });
  });

  it('never falls back to plaintext with credentials to send', async () => {
    commands.length = 0;
    await expect(SmtpClientSession.open({ ...target, auth: { user: 'relay', pass: 'secret' } }, 'client.example')).rejects.toMatchObject({
      tlsHandshake: true,
    });
    expect(commands.some((command) => /^AUTH/i.test(command))).toBe(false);
    expect(commands.filter((command) => /^EHLO/i.test(command))).toHaveLength(1);
  });
});

/** A relay that offers no STARTTLS, reached over loopback and over the machine's own network address. */
describe('SmtpClientSession credentials', () => {
  const logins: string[] = [];
  const relay = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => {
      logins.push(auth.username!);
      callback(null, { user: auth.username });
    },
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  const external = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
  let port: number;

  beforeAll(async () => {
    await new Promise<void>((resolve) => relay.listen(0, '0.0.0.0', resolve));
    port = (relay.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  const relayTarget = (address: string): Target => ({
    host: address,
    address,
    port,
    secure: false,
    auth: { user: 'relay', pass: 'secret' },
  });

  it('logs in without TLS to a relay on loopback', async () => {
    const session = await SmtpClientSession.open(relayTarget('127.0.0.1'), 'client.example');
    session.quit();
    expect(logins).toEqual(['relay']);
  });

  it.skipIf(!external)('does not log in to a relay across the network that offers no STARTTLS', async () => {
    logins.length = 0;
    await expect(SmtpClientSession.open(relayTarget(external!), 'client.example')).rejects.toThrow();
    expect(logins).toEqual([]);
  });
});
