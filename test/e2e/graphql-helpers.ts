import { createTransport } from 'nodemailer';
import type { MailhiveProcess } from '../support/mailhive-process.js';

export interface GraphqlResult {
  data?: Record<string, any>;
  errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown }; locations?: unknown }[];
}

/** POST /graphql with an optional bearer token. */
export function graphqlClient(server: MailhiveProcess) {
  return async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphqlResult> => {
    const response = await fetch(`http://127.0.0.1:${server.ports.http}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return response.json() as Promise<GraphqlResult>;
  };
}

export function errorCode(result: GraphqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export async function login(server: MailhiveProcess, email: string, password: string): Promise<string> {
  const result = await graphqlClient(server)('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: password,
  });
  const token = result.data?.login?.token;
  if (typeof token !== 'string') throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return token;
}

/** Sends over the real SMTP port (MX, no authentication, local recipients only). */
export async function smtpDeliver(
  server: MailhiveProcess,
  messages: {
    from: string;
    to: string;
    subject: string;
    text?: string;
    html?: string;
    date?: Date;
    attachments?: { filename: string; content: Buffer; contentType?: string; cid?: string }[];
    cc?: string;
  }[],
): Promise<void> {
  const transport = createTransport({
    host: '127.0.0.1',
    port: server.ports.smtp,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxMessages: Infinity,
  });
  try {
    for (const message of messages) await transport.sendMail(message);
  } finally {
    transport.close();
  }
}
