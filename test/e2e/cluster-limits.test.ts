import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import { rawMessage } from './smtp-helpers.js';

const LIMIT = 3;
const PASSWORD = 'cluster limits pass';

/** `A1 LOGIN user password` on a fresh IMAP connection from a chosen local address; returns the tagged reply line. */
function imapLogin(node: MailhiveProcess, from: string, user: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: node.ports.imap, localAddress: from });
    let text = '';
    let sent = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!sent && text.includes('\r\n')) {
        sent = true;
        socket.write(`A1 LOGIN "${user}" "${password}"\r\n`);
      }
      const tagged = /^A1 .*$/m.exec(text);
      if (tagged) {
        socket.end('A2 LOGOUT\r\n');
        resolve(tagged[0].trimEnd());
      }
    });
    socket.on('error', reject);
  });
}

function submit(node: MailhiveProcess, subject: string): Promise<unknown> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: node.ports.submission,
    secure: false,
    requireTLS: true,
    auth: { user: 'lim@limits.example', pass: PASSWORD },
    tls: { rejectUnauthorized: false },
  });
  return transport
    .sendMail({
      envelope: { from: 'lim@limits.example', to: ['other@limits.example'] },
      raw: rawMessage('lim@limits.example', 'other@limits.example', subject, 'x\r\n'),
    })
    .finally(() => transport.close());
}

// Several nodes need a MySQL-compatible database (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')('login lockout and send rate shared by two nodes on one database', () => {
  let nodeA: MailhiveProcess;
  let nodeB: MailhiveProcess;

  beforeAll(async () => {
    const settings = { MAILHIVE_AUTH_MAX_FAILURES: String(LIMIT), MAILHIVE_AUTH_LOCKOUT_SECONDS: '60', MAILHIVE_SMTP_SEND_RATE_LIMIT: '2' };
    nodeA = await MailhiveProcess.create(settings);
    nodeB = await MailhiveProcess.create({
      ...settings,
      MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL!,
      MAILHIVE_BLOB_DIR: `${nodeA.dataDir}/blobs`,
    });
    await nodeA.start();
    await nodeB.start();
    await nodeA.cli('domain', 'add', 'limits.example');
    await nodeA.cli('user', 'add', 'lim@limits.example', '--password', PASSWORD);
    await nodeA.cli('user', 'add', 'other@limits.example', '--password', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await nodeB?.destroy();
    await nodeA?.destroy();
  });

  it('locks out on node B an address that guessed wrong on node A, and only that address', async () => {
    const from = '127.0.0.31';
    for (let i = 0; i < LIMIT; i++) expect(await imapLogin(nodeA, from, 'lim@limits.example', `wrong-${i}`)).toMatch(/^A1 NO /);
    expect(await imapLogin(nodeB, from, 'lim@limits.example', PASSWORD)).toMatch(/^A1 NO \[UNAVAILABLE\]/);
    expect(await imapLogin(nodeB, '127.0.0.32', 'lim@limits.example', PASSWORD)).toMatch(/^A1 OK /);
  });

  it('counts messages submitted on either node against one hourly limit', async () => {
    await submit(nodeA, 'first on A');
    await submit(nodeB, 'second on B');
    await expect(submit(nodeA, 'third on A')).rejects.toMatchObject({ responseCode: expect.any(Number) as number });
    await expect(submit(nodeB, 'third on B')).rejects.toThrow(/rate|limit|too many/i);
  });
});
