/**
 * Turns pushed values into an AsyncIterableIterator for GraphQL subscriptions; `onClose` runs when the client
 * unsubscribes or disconnects. Values beyond `limit` are dropped oldest-first so a stalled client cannot grow memory.
 */
export function asyncQueue<T>(onClose: () => void, limit = 1000): { push(value: T): void; iterator: AsyncIterableIterator<T> } {
  const values: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let closed = false;
  const close = (): Promise<IteratorResult<T>> => {
    if (!closed) {
      closed = true;
      onClose();
      waiting?.({ value: undefined, done: true });
      waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (values.length > 0) return Promise.resolve({ value: values.shift() as T, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: close,
    throw: async (error: unknown) => {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    push(value: T) {
      if (closed) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
        return;
      }
      values.push(value);
      if (values.length > limit) values.shift();
    },
    iterator,
  };
}
