import { writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, graphqlClient, type GraphqlResult } from './graphql-helpers.js';

const PASSWORD = 'first-admin-pass-1';

/** An address of this machine that is not loopback, so a request from it needs the setup token. */
function externalAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

const SETUP = 'mutation($i: AdminSetupInput!) { adminSetup(input: $i) { csrfToken admin { address role domains } } }';

describe('WebAdmin first-run setup', { timeout: 120_000 }, () => {
  let server: MailhiveProcess;
  const external = externalAddress();

  const post = async (
    host: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<{ result: GraphqlResult; setCookie: string[] }> => {
    const response = await fetch(`http://${host}:${server.ports.http}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { result: (await response.json()) as GraphqlResult, setCookie: response.headers.getSetCookie() };
  };

  beforeAll(async () => {
    server = await MailhiveProcess.create({ MAILHIVE_BIND: '0.0.0.0' });
    // What "Check DNS" finds: MX, SPF and the SRV records published; DMARC and the DKIM key (made at setup) not.
    const fixtures = join(server.dataDir, 'dns.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        'first.example': { MX: [{ exchange: 'mx.first.example', priority: 10 }], TXT: [['v=spf1 mx -all']] },
        '_imaps._tcp.first.example': { SRV: [{ name: 'mx.first.example', port: 993, priority: 0, weight: 1 }] },
        '_submission._tcp.first.example': { SRV: [{ name: 'mx.first.example', port: 25, priority: 0, weight: 1 }] },
      }),
    );
    server.env.MAILHIVE_DNS_FIXTURES = fixtures;
    await server.start();
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('prints a one-time setup token and asks for it from clients off loopback', async () => {
    expect(server.logs()).toMatch(/WebAdmin setup: .* setup token [\w-]{24}/);
    expect((await post('127.0.0.1', '{ adminSetupStatus { needed tokenRequired } }')).result.data?.adminSetupStatus).toEqual({
      needed: true,
      tokenRequired: false,
    });
    if (!external) return;
    expect((await post(external, '{ adminSetupStatus { needed tokenRequired } }')).result.data?.adminSetupStatus).toEqual({
      needed: true,
      tokenRequired: true,
    });
    const input = { hostname: 'mx.first.example', domain: 'first.example', address: 'root@first.example', password: PASSWORD };
    expect(errorCode((await post(external, SETUP, { i: input })).result)).toBe('FORBIDDEN');
    expect(errorCode((await post(external, SETUP, { i: { ...input, token: 'x'.repeat(24) } })).result)).toBe('FORBIDDEN');
    // Nothing was made by the refused attempts.
    expect(
      errorCode(
        (await post('127.0.0.1', `mutation { adminLogin(email: "root@first.example", password: "${PASSWORD}") { token } }`)).result,
      ),
    ).toBe('INVALID_CREDENTIALS');
  });

  it('creates the host name, first domain and system admin once, signs it in, and shows and checks the DNS records', async () => {
    const token = /setup token ([\w-]+)/.exec(server.logs())![1]!;
    const host = external ?? '127.0.0.1';
    const input = { token, hostname: 'MX.first.example', domain: 'first.example', address: 'root@first.example', password: PASSWORD };
    expect(errorCode((await post(host, SETUP, { i: { ...input, hostname: 'not a host' } })).result)).toBe('BAD_USER_INPUT');
    expect(errorCode((await post(host, SETUP, { i: { ...input, address: 'root@elsewhere.example' } })).result)).toBe('BAD_USER_INPUT');
    const { result, setCookie } = await post(host, SETUP, { i: input });
    expect(result.data?.adminSetup?.admin).toEqual({ address: 'root@first.example', role: 'system_admin', domains: [] });
    const cookies = setCookie.map((line) => line.split(';')[0]).join('; ');
    const session = { cookie: cookies, 'x-admin-csrf-token': result.data?.adminSetup?.csrfToken as string };

    expect(errorCode((await post(host, SETUP, { i: input })).result)).toBe('FORBIDDEN');
    expect((await post('127.0.0.1', '{ adminSetupStatus { needed } }')).result.data?.adminSetupStatus).toEqual({ needed: false });

    const records = (
      await post(host, '{ adminDnsRecords(domain: "first.example", check: true) { purpose type name value status found } }', {}, session)
    ).result.data?.adminDnsRecords as { purpose: string; name: string; value: string; status: string }[];
    expect(Object.fromEntries(records.map((record) => [record.purpose, record.status]))).toEqual({
      mx: 'pass',
      spf: 'pass',
      dkim: 'fail',
      dmarc: 'fail',
      'imaps-srv': 'pass',
      'submission-srv': 'fail',
    });
    expect(records.find((record) => record.purpose === 'mx')?.value).toBe('10 mx.first.example.');
    expect(records.find((record) => record.purpose === 'dkim')?.value).toMatch(/^v=DKIM1; k=rsa; p=MII/);

    const gql = graphqlClient(server);
    const plain = await gql(
      `mutation { adminCreateUser(input: { address: "carl@first.example", password: "${PASSWORD}" }) { address } }`,
      {},
      undefined,
    );
    expect(errorCode(plain)).toBe('UNAUTHENTICATED');
  });

  it('refuses DNS records of a domain outside the scope as it refuses a missing one', async () => {
    const gql = graphqlClient(server);
    const root = (await gql(`mutation { adminLogin(email: "root@first.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
    expect((await gql('mutation { adminAddDomain(name: "second.example") { name } }', {}, root)).errors).toBeUndefined();
    expect(
      (
        await gql(
          `mutation { adminCreateUser(input: { address: "boss@first.example", password: "${PASSWORD}", role: "domain_admin", adminDomains: ["first.example"] }) { address } }`,
          {},
          root,
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (await gql(`mutation { adminCreateUser(input: { address: "carl@first.example", password: "${PASSWORD}" }) { address } }`, {}, root))
        .errors,
    ).toBeUndefined();
    const boss = (await gql(`mutation { adminLogin(email: "boss@first.example", password: "${PASSWORD}") { token } }`)).data?.adminLogin
      ?.token as string;
    const carl = (await gql(`mutation { login(email: "carl@first.example", password: "${PASSWORD}") { token } }`)).data?.login
      ?.token as string;
    const query = (domain: string) => `{ adminDnsRecords(domain: "${domain}") { name } }`;
    expect((await gql(query('first.example'), {}, boss)).data?.adminDnsRecords).toHaveLength(6);
    for (const domain of ['second.example', 'missing.example']) {
      const refused = await gql(query(domain), {}, boss);
      expect(refused.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
    }
    expect(errorCode(await gql(query('first.example'), {}, carl))).toBe('FORBIDDEN');
  });
});
