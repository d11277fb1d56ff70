import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';

const OFF = Object.fromEntries(['SMTP', 'SUBMISSION', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS'].map((name) => [`MAILHIVE_${name}_PORT`, 'off']));
const METRICS_TOKEN = 'metrics-token-for-tests';

/** An IPv4 address of this host that is not loopback: a client connecting to it is seen as a non-loopback peer. */
const outsideAddress = Object.values(networkInterfaces()).flat().find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;

describe('GraphQL and HTTP hardening', () => {
  let server: MailhiveProcess;
  let http: string;

  beforeAll(async () => {
    server = await MailhiveProcess.create({ ...OFF, MAILHIVE_BIND: '0.0.0.0', MAILHIVE_METRICS_TOKEN: METRICS_TOKEN });
    await server.start();
    http = `http://127.0.0.1:${server.ports.http}`;
  }, 30_000);

  afterAll(async () => {
    await server?.destroy();
  });

  describe('/metrics', () => {
    it('answers loopback clients, with the event-loop lag histogram', async () => {
      const response = await fetch(`${http}/metrics`);
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toMatch(/^mailhive_event_loop_lag_seconds_bucket\{le="1"\} \d+$/m);
      // The sampler has already measured some turns of the loop.
      expect(Number(/^mailhive_event_loop_lag_seconds_count (\d+)$/m.exec(body)?.[1])).toBeGreaterThan(0);
    });

    it.skipIf(!outsideAddress)('refuses a client from another address with 403 unless it brings MAILHIVE_METRICS_TOKEN', async () => {
      const url = `http://${outsideAddress}:${server.ports.http}/metrics`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(403);
      expect(await anonymous.text()).not.toContain('mailhive_');
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
      const authorised = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(authorised.status).toBe(200);
      expect(await authorised.text()).toContain('mailhive_event_loop_lag_seconds_count');
    });
  });
});
