import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendRateService } from '../../core/mail/send-rate.service.js';
import { openTestCore, type TestCore } from '../support/test-core.js';
import { TEST_DB } from '../support/test-database.js';

describe(`sending rate on ${TEST_DB}`, () => {
  let core: TestCore;
  let rate: SendRateService;

  beforeAll(async () => {
    core = await openTestCore({ MAILHIVE_SMTP_SEND_RATE_LIMIT: '2' });
    rate = core.context.get(SendRateService);
  });

  afterAll(async () => {
    await core.close();
  });

  it('allows the configured number of messages per sliding hour and per account', async () => {
    const start = Date.now();
    await rate.record(7, start);
    expect(await rate.allowed(7, start + 1000)).toBe(true);
    await rate.record(7, start + 1000);
    expect(await rate.allowed(7, start + 2000)).toBe(false);
    expect(await rate.allowed(8, start + 2000)).toBe(true);
    // An hour after the first message one slot is free again, and recording prunes what has left the window.
    expect(await rate.allowed(7, start + 3600_001)).toBe(true);
    await rate.record(7, start + 3600_001);
    expect(await rate.allowed(7, start + 3600_002)).toBe(false);
    expect(await rate.allowed(7, start + 3600_000 + 1001)).toBe(true);
  });
});
