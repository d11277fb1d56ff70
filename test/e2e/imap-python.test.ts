import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer, WireClient } from './imap-wire.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'imap_session.py');

describe('IMAP with Python imaplib', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await startImapServer(['py@python.example'], { MAILHIVE_IMAP_PLAINTEXT_AUTH: 'never' });
  });

  afterAll(async () => {
    await server.destroy();
  });

  it('refuses logins before STARTTLS when MAILHIVE_IMAP_PLAINTEXT_AUTH=never', async () => {
    const client = await WireClient.open(server.ports.imap);
    try {
      const capability = await client.command('CAPABILITY', 'd1');
      expect(capability).toContain(' STARTTLS LOGINDISABLED\r\n');
      expect(capability).not.toContain('AUTH=PLAIN');
      expect(await client.command('LOGIN py@python.example secret123', 'd2')).toBe(
        'd2 NO [PRIVACYREQUIRED] Log in only after STARTTLS\r\n',
      );
      expect(await client.command(`AUTHENTICATE PLAIN ${Buffer.from('\0py@python.example\0secret123').toString('base64')}`, 'd3')).toBe(
        'd3 NO [PRIVACYREQUIRED] Authenticate only after STARTTLS\r\n',
      );
      await client.command('STARTTLS', 'd4');
      await client.startTls();
      expect(await client.command('CAPABILITY', 'd5')).toMatch(/AUTH=PLAIN\r\n/);
      expect(await client.command('LOGIN py@python.example secret123', 'd6')).toMatch(/^d6 OK /);
    } finally {
      client.close();
    }
  });

  it('runs a whole session over STARTTLS and IMAPS', async () => {
    const { stdout } = await promisify(execFile)(
      'python3',
      [SCRIPT, String(server.ports.imap), String(server.ports.imaps), 'py@python.example', 'secret123'],
      { timeout: 20_000 },
    );
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.capabilities).toEqual(expect.arrayContaining(['IMAP4REV1', 'STARTTLS', 'LOGINDISABLED']));
    expect(result.wrong_login).toContain('[AUTHENTICATIONFAILED]');
    expect(result.login).toBe('OK');
    expect(result.create).toBe('OK');
    expect(result.list).toEqual(['(\\HasChildren) "/" "Py"', '(\\HasNoChildren) "/" "Py/Sub"']);
    expect(result.append).toEqual(['OK', expect.stringMatching(/^\[APPENDUID \d+ 1\] APPEND completed$/)]);
    expect(result.select).toEqual(['OK', '1']);
    // The first session to select the mailbox after the APPEND sees the message as \Recent.
    expect(result.recent).toBe('1');
    expect(result.search_new).toBe('1');
    expect(result.fetch_meta).toBe('1 (FLAGS (\\Flagged \\Recent) RFC822.SIZE 90 BODY[] {90}');
    expect(result.fetch_body_exact).toBe(true);
    expect(result.header_fields).toBe('Subject: from python\r\n\r\n');
    expect(result.search_subject).toBe('1');
    expect(result.search_unflagged).toBe('');
    expect(result.store).toBe('1 (FLAGS (\\Seen \\Flagged \\Deleted \\Recent))');
    expect(result.copy).toEqual(['OK', expect.stringMatching(/^\d+ 1 1$/)]);
    expect(result.expunge).toEqual(['OK', ['1']]);
    expect(result.status).toBe('"Py/Sub" (MESSAGES 0 UIDNEXT 2)');
    expect(result.delete_parent).toBe('NO');
    expect(result.delete).toBe('OK');
    expect(result.logout).toBe('BYE');
    expect(result.imaps_select).toEqual(['OK', '1']);
  });
});
