import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import type { MailhiveProcess } from '../support/mailhive-process.js';
import { graphqlClient, type GraphqlResult } from './graphql-helpers.js';

export const ORG_PASSWORD = 'secret-pass-1';

export type Gql = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphqlResult>;

/** The data of a GraphQL answer, failing the test with the errors when there are any. */
export async function ok(result: Promise<GraphqlResult>): Promise<Record<string, any>> {
  const answer = await result;
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

export function orgClient(server: MailhiveProcess) {
  const gql: Gql = graphqlClient(server);
  return {
    gql,
    async adminToken(email: string): Promise<string> {
      const result = await ok(
        gql('mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }', { e: email, p: ORG_PASSWORD }),
      );
      return result.adminLogin.token as string;
    },
    async createUsers(root: string, addresses: readonly string[]): Promise<void> {
      for (const address of addresses) {
        await ok(
          gql(
            'mutation($i: AdminUserCreateInput!) { adminCreateUser(input: $i) { address } }',
            { i: { address, password: ORG_PASSWORD } },
            root,
          ),
        );
      }
    },
    async department(token: string, input: Record<string, unknown>): Promise<number> {
      return (await ok(gql('mutation($i: OrgDepartmentInput!) { orgCreateDepartment(input: $i) { id } }', { i: input }, token)))
        .orgCreateDepartment.id as number;
    },
    async person(token: string, input: Record<string, unknown>): Promise<void> {
      await ok(gql('mutation($i: OrgPersonInput!) { orgSetPerson(input: $i) { address } }', { i: input }, token));
    },
    async place(
      token: string,
      address: string,
      departmentId: number,
      options: { primary?: boolean; manager?: boolean } = {},
    ): Promise<void> {
      await ok(
        gql(
          'mutation($i: OrgPlacementInput!) { orgPlaceMember(input: $i) { address } }',
          { i: { address, departmentId, ...options } },
          token,
        ),
      );
    },
  };
}

/** An authenticated submission client (port 587, STARTTLS with the generated certificate). */
export function submission(server: MailhiveProcess, user: string) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.ports.submission,
    secure: false,
    requireTLS: true,
    auth: { user, pass: ORG_PASSWORD },
    tls: { rejectUnauthorized: false },
  });
}
