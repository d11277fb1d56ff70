import { Histogram } from 'prom-client';
import { metricsRegistry } from './metrics-registry.js';

/** How often the loop is sampled: a turn that blocks shorter than this may go unseen, which is fine for a lag metric. */
export const EVENT_LOOP_SAMPLE_MS = 100;
/** A turn that blocks this long stops every protocol at once; it is logged as a warning. */
export const EVENT_LOOP_BLOCK_WARN_MS = 1000;

export const eventLoopLagSeconds = new Histogram({
  name: 'mailhive_event_loop_lag_seconds',
  help: 'How late a timer due every 100 ms fired: the time the event loop was blocked by one turn',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/**
 * Samples the event loop with a timer: the delay beyond the timer's due time is the time one turn held the loop.
 * Each sample goes into the histogram; a block of EVENT_LOOP_BLOCK_WARN_MS or more is reported through `blocked`.
 */
export function startEventLoopLagSampler(blocked: (lagMs: number) => void, now: () => number = () => performance.now()): () => void {
  let due = now() + EVENT_LOOP_SAMPLE_MS;
  let timer: NodeJS.Timeout;
  const sample = () => {
    const current = now();
    const lagMs = Math.max(0, current - due);
    eventLoopLagSeconds.observe(lagMs / 1000);
    if (lagMs >= EVENT_LOOP_BLOCK_WARN_MS) blocked(Math.round(lagMs));
    due = current + EVENT_LOOP_SAMPLE_MS;
    timer = setTimeout(sample, EVENT_LOOP_SAMPLE_MS);
    timer.unref();
  };
  timer = setTimeout(sample, EVENT_LOOP_SAMPLE_MS);
  timer.unref();
  return () => clearTimeout(timer);
}
