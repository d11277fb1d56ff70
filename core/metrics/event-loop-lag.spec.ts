import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_LOOP_SAMPLE_MS, eventLoopLagSeconds, startEventLoopLagSampler } from './event-loop-lag.js';

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

  it("observes each turn's lag and reports each block of a second or more", async () => {
    const blocks: number[] = [];
    const stop = startEventLoopLagSampler(
      (lagMs) => blocks.push(lagMs),
      () => clock,
    );
    turn(0);
    turn(1500);
    turn(2000);
    turn(20);
    turn(999);
    expect(blocks).toEqual([1500, 2000]);
    const histogram = (await eventLoopLagSeconds.get()).values;
    expect(histogram.find((value) => value.metricName === 'mailhive_event_loop_lag_seconds_count')?.value).toBe(5);
    expect(histogram.find((value) => value.metricName === 'mailhive_event_loop_lag_seconds_bucket' && value.labels.le === 1)?.value).toBe(
      3,
    );
    stop();
  });
});
