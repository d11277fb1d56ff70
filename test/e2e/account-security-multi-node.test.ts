import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { TEST_DB } from '../support/test-database.js';
import { errorCode, graphqlClient, login } from './graphql-helpers.js';

const PASSWORD = 'two nodes secret';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

// Several nodes need a MySQL-compatible database and a bus (design.md), so this suite runs in the MariaDB pass.
describe.skipIf(TEST_DB !== 'mariadb')(
  'account security across two server processes on one database and a NATS bus',
  { timeout: 180_000 },
  () => {
    let nodeA: MailhiveProcess;
    let nodeB: MailhiveProcess;

    beforeAll(async () => {
      const shared = { MAILHIVE_BUS_URL: 'nats://127.0.0.1:4222', MAILHIVE_AUTH_MAX_FAILURES: '3', MAILHIVE_AUTH_LOCKOUT_SECONDS: '600' };
      nodeA = await MailhiveProcess.create(shared);
      nodeB = await MailhiveProcess.create({ ...shared, MAILHIVE_DATABASE_URL: nodeA.env.MAILHIVE_DATABASE_URL! });
      await nodeA.start();
      await nodeB.start();
      expect((await nodeA.cli('domain', 'add', 'nodes.example')).code).toBe(0);
      for (const user of ['guarded', 'roamer'])
        expect((await nodeA.cli('user', 'add', `${user}@nodes.example`, '--password', PASSWORD)).code).toBe(0);
      expect((await nodeA.cli('user', 'add', 'root@nodes.example', '--password', PASSWORD, '--admin')).code).toBe(0);
    }, 180_000);

    afterAll(async () => {
      await nodeB?.destroy();
      await nodeA?.destroy();
    });

    it('counts failed logins on both nodes against one lockout, and an admin unlock on one lifts it on the other', async () => {
      const [a, b] = [graphqlClient(nodeA), graphqlClient(nodeB)];
      expect(errorCode(await a(LOGIN, { e: 'guarded@nodes.example', p: 'wrong-1' }))).toBe('INVALID_CREDENTIALS');
      expect(errorCode(await b(LOGIN, { e: 'guarded@nodes.example', p: 'wrong-2' }))).toBe('INVALID_CREDENTIALS');
      expect(errorCode(await a(LOGIN, { e: 'guarded@nodes.example', p: 'wrong-3' }))).toBe('INVALID_CREDENTIALS');
      // The third failure, on either node, locked the login on both, even against the right password.
      expect(errorCode(await b(LOGIN, { e: 'guarded@nodes.example', p: PASSWORD }))).toBe('LOCKED');
      expect(errorCode(await a(LOGIN, { e: 'guarded@nodes.example', p: PASSWORD }))).toBe('LOCKED');
      const admin = (
        await b('mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }', {
          e: 'root@nodes.example',
          p: PASSWORD,
        })
      ).data?.adminLogin?.token as string;
      expect((await b('mutation { adminUnlockUser(address: "guarded@nodes.example") }', {}, admin)).data?.adminUnlockUser).toBe(true);
      expect((await a(LOGIN, { e: 'guarded@nodes.example', p: PASSWORD })).data?.login?.token).toEqual(expect.any(String));
    });

    it('ends an IMAP session on one node when its app password is revoked on the other', async () => {
      const token = await login(nodeB, 'roamer@nodes.example', PASSWORD);
      const created = await graphqlClient(nodeB)(
        'mutation { createAppPassword(label: "Desktop", protocols: ["imap"]) { secret appPassword { id } } }',
        {},
        token,
      );
      const { secret, appPassword } = created.data!.createAppPassword as { secret: string; appPassword: { id: string } };
      const flow = new ImapFlow({
        host: '127.0.0.1',
        port: nodeA.ports.imap,
        secure: false,
        auth: { user: 'roamer@nodes.example', pass: secret },
        logger: false,
        tls: { rejectUnauthorized: false },
      });
      await flow.connect();
      const closed = new Promise<void>((resolve) => flow.once('close', () => resolve()));
      expect(
        (await graphqlClient(nodeB)('mutation($i: ID!) { revokeAppPassword(id: $i) }', { i: appPassword.id }, token)).data
          ?.revokeAppPassword,
      ).toBe(true);
      await closed;
      expect(flow.usable).toBe(false);
    });
  },
);
