import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort } from '../../test/support/mailhive-process.js';
import { loadConfig } from '../config/config.loader.js';
import { DnsResolver } from '../dns/dns-resolver.service.js';
import { createLogger } from '../logging/logger.js';
import { RemoteDeliveryService } from './remote-delivery.service.js';

/** RemoteDeliveryService against a real smtp-server on loopback, with fixture DNS: a dead MX first, then a live one. */
describe('RemoteDeliveryService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailhive-remote-'));
  const connections: string[] = [];
  const transactions: { from: string; to: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onConnect: (session, callback) => {
      connections.push(session.id);
      callback();
    },
    onMailFrom: (address, _session, callback) =>
      address.address === 'blocked@local.example'
        ? callback(Object.assign(new Error('5.7.1 sender blocked'), { responseCode: 550 }))
        : callback(),
    onRcptTo: (address, _session, callback) =>
      address.address.startsWith('gone@') ? callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 })) : callback(),
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        transactions.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        callback();
      });
    },
  });
  let remote: RemoteDeliveryService;
  let guarded: RemoteDeliveryService;

  beforeAll(async () => {
    const port = await listenOnFreePort(server.server);
    // The preferred MX resolves to 127.0.0.2, where nothing listens on that port (the server is bound to 127.0.0.1).
    writeFileSync(
      join(dir, 'dns.json'),
      JSON.stringify({
        'remote.example': {
          MX: [
            { exchange: 'dead.remote.example', priority: 5 },
            { exchange: 'mx.remote.example', priority: 10 },
          ],
        },
        'dead.remote.example': { A: ['127.0.0.2'] },
        'mx.remote.example': { A: ['127.0.0.1'] },
      }),
    );
    const config = loadConfig({
      MAILHIVE_DATA_DIR: dir,
      MAILHIVE_DNS_FIXTURES: join(dir, 'dns.json'),
      MAILHIVE_OUTBOUND_PORT: String(port),
      MAILHIVE_OUTBOUND_ALLOW_PRIVATE_MX: 'true',
    });
    remote = new RemoteDeliveryService(config, createLogger('silent'), new DnsResolver(config));
    const defaults = { ...config, outboundAllowPrivateMx: false };
    guarded = new RemoteDeliveryService(defaults, createLogger('silent'), new DnsResolver(defaults));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends several messages over one connection to the next MX, one transaction each, going on after refusals', async () => {
    const message = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    const results = await remote.deliver('remote.example', [
      { sender: 'ann@local.example', recipients: ['a@remote.example', 'gone@remote.example'], message },
      { sender: 'blocked@local.example', recipients: ['b@remote.example'], message },
      { sender: '', recipients: ['c@remote.example'], message },
    ]);
    expect(connections).toHaveLength(1);
    expect(transactions).toEqual([
      { from: 'ann@local.example', to: ['a@remote.example'] },
      { from: '', to: ['c@remote.example'] },
    ]);
    expect(results.map((result) => result.map((item) => [item.recipient, item.status, item.remoteMta]))).toEqual([
      [
        ['a@remote.example', 'delivered', 'mx.remote.example'],
        ['gone@remote.example', 'failed', 'mx.remote.example'],
      ],
      [['b@remote.example', 'failed', 'mx.remote.example']],
      [['c@remote.example', 'delivered', 'mx.remote.example']],
    ]);
    expect(results[0]![1]!.response).toMatch(/^550 5\.1\.1 /);
    expect(results[1]![0]!.response).toMatch(/^550 5\.7\.1 sender blocked/);
  });

  it('connects to no MX at a loopback address unless allowed, and fails the message permanently with the reason', async () => {
    const before = connections.length;
    const results = await guarded.deliver('remote.example', [
      { sender: 'ann@local.example', recipients: ['a@remote.example'], message: Buffer.from('Subject: x\r\n\r\nx\r\n') },
    ]);
    expect(connections).toHaveLength(before);
    expect(results).toEqual([
      [
        {
          recipient: 'a@remote.example',
          status: 'failed',
          remoteMta: null,
          response:
            '550 5.4.4 remote.example has no mail server at a public address (dead.remote.example [127.0.0.2], mx.remote.example [127.0.0.1] not used: loopback, private or reserved)',
        },
      ],
    ]);
  });
});
