// Waiting for what a server does asynchronously (a delivery, a bus message, a dropped connection), by polling.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until `check` holds and returns that value; after `timeoutMs` throws with the last value read. */
export async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

/** Probes until it gives a value (not null or undefined) and returns it; after `timeoutMs` throws naming `what`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
