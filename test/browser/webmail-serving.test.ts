import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that leaves the body as sent (fetch would undo the gzip). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the webmail client served on /', () => {
  let server: MailhiveProcess;

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    await server.start();
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('serves the page with a strict policy and no caching of the page itself', async () => {
    const page = await get(server.ports.http, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body.toString()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('serves the hashed assets gzipped to clients that accept it, plain to others, cached for good', async () => {
    const page = (await get(server.ports.http, '/')).body.toString();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1] as string;
    const plain = await get(server.ports.http, script);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toContain('immutable');

    const zipped = await get(server.ports.http, script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // The budget of issue 7: under 300 KB gzipped (script and stylesheet together).
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(page)?.[1] as string;
    const css = await get(server.ports.http, style, { 'accept-encoding': 'gzip' });
    console.log(
      `webmail: client bundle ${zipped.body.length + css.body.length} bytes gzipped (${plain.body.length} bytes of script unzipped)`,
    );
    expect(zipped.body.length + css.body.length).toBeLessThan(300 * 1024);
  });

  it('refuses paths outside the built assets and leaves the other endpoints alone', async () => {
    expect((await get(server.ports.http, '/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await get(server.ports.http, '/assets/.env')).status).toBe(404);
    expect((await get(server.ports.http, '/assets/missing-0000.js', { 'accept-encoding': 'gzip' })).status).toBe(404);
    expect((await get(server.ports.http, '/healthz')).status).toBe(200);
    const graphql = await fetch(`http://127.0.0.1:${server.ports.http}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
