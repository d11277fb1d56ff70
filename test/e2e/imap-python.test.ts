import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { startImapServer } from './imap-wire.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'imap_session.py');

describe('IMAP with Python imaplib', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await startImapServer(['py@python.example']);
  });

  afterAll(async () => {
    await server.destroy();
  });

  it('runs a whole session over STARTTLS and IMAPS', async () => {
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, String(server.ports.imap), String(server.ports.imaps), 'py@python.example', 'secret123'], { timeout: 20_000 });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.capabilities).toEqual(expect.arrayContaining(['IMAP4REV1', 'STARTTLS', 'AUTH=PLAIN']));
    expect(result.wrong_login).toContain('[AUTHENTICATIONFAILED]');
    expect(result.login).toBe('OK');
    expect(result.create).toBe('OK');
    expect(result.list).toEqual(['(\\HasChildren) "/" "Py"', '(\\HasNoChildren) "/" "Py/Sub"']);
    expect(result.append).toEqual(['OK', expect.stringMatching(/^\[APPENDUID \d+ 1\] APPEND completed$/)]);
    expect(result.select).toEqual(['OK', '1']);
    expect(result.fetch_meta).toBe('1 (FLAGS (\\Flagged) RFC822.SIZE 90 BODY[] {90}');
    expect(result.fetch_body_exact).toBe(true);
    expect(result.header_fields).toBe('Subject: from python\r\n\r\n');
    expect(result.search_subject).toBe('1');
    expect(result.search_unflagged).toBe('');
    expect(result.store).toBe('1 (FLAGS (\\Seen \\Flagged \\Deleted))');
    expect(result.copy).toEqual(['OK', expect.stringMatching(/^\d+ 1 1$/)]);
    expect(result.expunge).toEqual(['OK', ['1']]);
    expect(result.status).toBe('"Py/Sub" (MESSAGES 0 UIDNEXT 2)');
    expect(result.delete_parent).toBe('NO');
    expect(result.delete).toBe('OK');
    expect(result.logout).toBe('BYE');
    expect(result.imaps_select).toEqual(['OK', '1']);
  });
});
