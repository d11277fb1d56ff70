import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { login } from './graphql-helpers.js';

const HOSTNAME = 'mail.setup.example';
const USER = 'ann@setup.example';
const PARSER = join(import.meta.dirname, 'python', 'client_setup_parse.py');

/** Parses a setup document with Python's XML parser or plistlib, as the mail clients read them. */
function parse(kind: 'thunderbird' | 'autodiscover' | 'mobileconfig', document: string): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PARSER, kind], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Record<string, any>) : reject(new Error(`${kind} parse failed: ${err}`)),
    );
    child.stdin.end(document);
  });
}

/** An HTTP request with the Host header a client would send for the given name. */
function http(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  host: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The first line a server says after the TLS handshake on an implicit-TLS port. */
function tlsGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: HOSTNAME }, () => undefined);
    socket.setEncoding('utf8');
    socket.once('data', (line: string) => {
      socket.destroy();
      resolve(line);
    });
    socket.on('error', reject);
  });
}

const outlookRequest = (address: string) => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;

describe('one-tap mail client setup: Thunderbird autoconfig, Outlook autodiscover, Apple profile', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_HOSTNAME: HOSTNAME });
    await server.cli('domain', 'add', 'setup.example');
    await server.cli('user', 'add', USER, '--password', 'one tap setup 1', '--quota', '1G');
    await server.start();
  }, 60_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('serves Thunderbird the server host name and the ports it listens on, implicit TLS first', async () => {
    const expected = [
      { type: 'imap', hostname: HOSTNAME, port: server.ports.imaps, socketType: 'SSL', username: '%EMAILADDRESS%' },
      { type: 'imap', hostname: HOSTNAME, port: server.ports.imap, socketType: 'STARTTLS', username: '%EMAILADDRESS%' },
      { type: 'pop3', hostname: HOSTNAME, port: server.ports.pop3s, socketType: 'SSL', username: '%EMAILADDRESS%' },
      { type: 'pop3', hostname: HOSTNAME, port: server.ports.pop3, socketType: 'STARTTLS', username: '%EMAILADDRESS%' },
      { type: 'smtp', hostname: HOSTNAME, port: server.ports.smtps, socketType: 'SSL', username: '%EMAILADDRESS%' },
      { type: 'smtp', hostname: HOSTNAME, port: server.ports.submission, socketType: 'STARTTLS', username: '%EMAILADDRESS%' },
    ];
    // Thunderbird asks the mail domain's own web server, then autoconfig.<domain>.
    const wellKnown = await http(
      server.ports.http,
      'GET',
      `/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${USER}`,
      'setup.example',
    );
    const subdomain = await http(server.ports.http, 'GET', '/mail/config-v1.1.xml', 'autoconfig.setup.example');
    for (const answer of [wellKnown, subdomain]) {
      expect(answer.status).toBe(200);
      expect(answer.type).toContain('xml');
      expect(await parse('thunderbird', answer.body)).toEqual({ domain: 'setup.example', servers: expected });
    }
    // The SSL ports it names answer as the protocol says, after a TLS handshake.
    expect(await tlsGreeting(server.ports.imaps)).toMatch(/^\* OK/);
    expect(await tlsGreeting(server.ports.pop3s)).toMatch(/^\+OK/);
    expect(await tlsGreeting(server.ports.smtps)).toMatch(/^220 /);
  });

  it('knows nothing of a domain it does not host', async () => {
    const other = await http(
      server.ports.http,
      'GET',
      '/mail/config-v1.1.xml?emailaddress=bob@elsewhere.example',
      'autoconfig.setup.example',
    );
    expect(other.status).toBe(404);
    expect((await http(server.ports.http, 'GET', '/mail/config-v1.1.xml', 'autoconfig.elsewhere.example')).status).toBe(404);
    expect((await http(server.ports.http, 'GET', '/.well-known/autoconfig/mail/config-v1.1.xml', '127.0.0.1')).status).toBe(404);
  });

  it('answers an Outlook autodiscover request (POX) with IMAP, POP3 and SMTP', async () => {
    const answer = await http(
      server.ports.http,
      'POST',
      '/autodiscover/autodiscover.xml',
      'autodiscover.setup.example',
      outlookRequest(USER),
      {
        'content-type': 'text/xml',
      },
    );
    expect(answer.status).toBe(200);
    expect(await parse('autodiscover', answer.body)).toEqual({
      action: 'settings',
      protocols: [
        { type: 'IMAP', server: HOSTNAME, port: server.ports.imaps, ssl: 'on', encryption: null, login: USER },
        { type: 'POP3', server: HOSTNAME, port: server.ports.pop3s, ssl: 'on', encryption: null, login: USER },
        { type: 'SMTP', server: HOSTNAME, port: server.ports.smtps, ssl: 'on', encryption: null, login: USER },
      ],
    });
    // Outlook's own capitalisation of the path is the same resource.
    const capitalised = await http(server.ports.http, 'POST', '/Autodiscover/Autodiscover.xml', 'setup.example', outlookRequest(USER));
    expect((await parse('autodiscover', capitalised.body)).action).toBe('settings');
  });

  it('refuses autodiscover requests it cannot answer, with the POX error or 413', async () => {
    for (const body of [outlookRequest('bob@elsewhere.example'), outlookRequest('not an address'), '<nonsense/>', '']) {
      const answer = await http(server.ports.http, 'POST', '/autodiscover/autodiscover.xml', 'setup.example', body);
      expect(answer.status).toBe(200);
      expect(await parse('autodiscover', answer.body)).toEqual({ error: '600' });
    }
    const huge = await http(
      server.ports.http,
      'POST',
      '/autodiscover/autodiscover.xml',
      'setup.example',
      outlookRequest(USER) + ' '.repeat(20_000),
    );
    expect(huge.status).toBe(413);
  });

  it('gives a signed-in user an (unsigned) Apple configuration profile of their own account', async () => {
    expect((await http(server.ports.http, 'GET', '/api/webmail/setup/mobileconfig', 'setup.example')).status).toBe(401);
    const token = await login(server, USER, 'one tap setup 1');
    const answer = await http(server.ports.http, 'GET', '/api/webmail/setup/mobileconfig', 'setup.example', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/x-apple-aspen-config');
    expect(answer.body).not.toContain('one tap setup 1');
    expect(await parse('mobileconfig', answer.body)).toEqual({
      type: 'Configuration',
      payloadType: 'com.apple.mail.managed',
      accountType: 'EmailTypeIMAP',
      address: USER,
      incoming: [HOSTNAME, server.ports.imaps, true],
      outgoing: [HOSTNAME, server.ports.smtps, true],
      username: USER,
    });
  });
});
