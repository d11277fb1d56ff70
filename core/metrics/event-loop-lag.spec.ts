import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_LOOP_SAMPLE_MS, eventLoopLagSeconds, startEventLoopLagSampler, type BlockedLoopWarning } from './event-loop-lag.js';

describe('event-loop lag sampler', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    eventLoopLagSeconds.reset();
  });
  afterEach(() => vi.useRealTimers());

  /** One sampler turn that fires `lateMs` after it was due. */
  const turn = (lateMs: number) => {
    clock += EVENT_LOOP_SAMPLE_MS + lateMs;
    vi.advanceTimersByTime(EVENT_LOOP_SAMPLE_MS);
  };

  it('observes each turn\'s lag and warns about a block over a second at most once a minute, counting the rest', async () => {
    const warnings: BlockedLoopWarning[] = [];
    const stop = startEventLoopLagSampler((warning) => warnings.push(warning), () => clock);
    turn(0);
    turn(1500);
    turn(2000);
    turn(20);
    expect(warnings).toEqual([{ lagMs: 1500, suppressed: 0 }]);
    clock += 60_000;
    turn(1200);
    expect(warnings).toEqual([{ lagMs: 1500, suppressed: 0 }, { lagMs: 60_000 + 1200, suppressed: 1 }]);
    const histogram = (await eventLoopLagSeconds.get()).values;
    expect(histogram.find((value) => value.metricName === 'mailhive_event_loop_lag_seconds_count')?.value).toBe(5);
    expect(histogram.find((value) => value.metricName === 'mailhive_event_loop_lag_seconds_bucket' && value.labels.le === 1)?.value).toBe(2);
    stop();
  });
});
