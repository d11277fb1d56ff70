import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILHIVE_BIN, MailhiveProcess } from '../support/mailhive-process.js';

const TERMINAL = join(import.meta.dirname, 'python', 'terminal_answer.py');

describe('mailhive CLI at a terminal', { timeout: 60_000 }, () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'tty.example')).code).toBe(0);
    await server.start();
  });

  afterAll(async () => {
    await server.destroy();
  });

  /** Runs the CLI on a pseudo-terminal (Python's pty), answering each prompt in turn. */
  async function atTerminal(answers: [prompt: string, answer: string][], ...args: string[]): Promise<{ code: number; shown: string }> {
    const { stdout } = await promisify(execFile)(
      'python3',
      [TERMINAL, ...answers.map(([prompt, answer]) => `${prompt}=${answer}`), '--', process.execPath, MAILHIVE_BIN, ...args],
      { env: { ...process.env, ...server.env } },
    );
    return JSON.parse(stdout) as { code: number; shown: string };
  }

  it('asks for a new password twice without echoing it, and the user can log in with it', async () => {
    const result = await atTerminal(
      [
        ['New password: ', 'Terminal-pass-1'],
        ['Repeat it: ', 'Terminal-pass-1'],
      ],
      'user',
      'add',
      'tia@tty.example',
    );
    expect(result.code).toBe(0);
    expect(result.shown).toContain('user tia@tty.example added');
    expect(result.shown).not.toContain('Terminal-pass-1');
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: server.ports.imap,
      secure: false,
      logger: false,
      auth: { user: 'tia@tty.example', pass: 'Terminal-pass-1' },
      tls: { rejectUnauthorized: false },
    });
    await client.connect();
    await client.logout();
  });

  it('refuses two different answers as a usage error and adds no one', async () => {
    const result = await atTerminal(
      [
        ['New password: ', 'Terminal-pass-1'],
        ['Repeat it: ', 'Terminal-pass-2'],
      ],
      'user',
      'add',
      'tom@tty.example',
    );
    expect(result.code).toBe(2);
    expect(result.shown).toContain('mailhive: password: the two passwords differ');
    const users = JSON.parse((await server.cli('user', 'list', 'tty.example', '--json')).stdout) as { address: string }[];
    expect(users.map((user) => user.address)).toEqual(['tia@tty.example']);
  });

  it('changes a password when asked at the terminal', async () => {
    const result = await atTerminal(
      [
        ['New password: ', 'Terminal-pass-3'],
        ['Repeat it: ', 'Terminal-pass-3'],
      ],
      'user',
      'passwd',
      'tia@tty.example',
    );
    expect(result.code).toBe(0);
    expect(result.shown).toContain('password of tia@tty.example changed');
  });
});
