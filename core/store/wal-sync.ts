import { close, fdatasync, open } from 'node:fs';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Makes SQLite commits durable off the main thread. better-sqlite3 is synchronous, so with `synchronous = FULL` every
 * COMMIT blocks the event loop for a whole fsync of the WAL file (0.5 ms on an idle disk, several ms on a busy one)
 * and no other connection's work can proceed meanwhile. The writer connection runs with `synchronous = NORMAL`
 * instead (COMMIT only writes the WAL frames to the page cache), and `sync()` resolves once an fdatasync of the WAL
 * file that started after the call has finished: from then on the commits made before the call survive a power cut,
 * as with FULL. Calls that arrive while an fdatasync is running share the next one, so concurrent commits share one
 * flush.
 */
export class WalSync {
  private waiting: Waiter[] = [];
  private flushing = false;
  /** fdatasync calls completed so far. */
  flushes = 0;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        try {
          await syncFile(this.walPath);
          this.flushes++;
          for (const waiter of batch) waiter.resolve();
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** Opened per flush: SQLite may truncate the WAL file, and a flush is shared by many commits anyway. */
function syncFile(path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    open(path, 'r+', (openError, fd) => {
      if (openError) {
        reject(openError);
        return;
      }
      fdatasync(fd, (syncError) => {
        close(fd, (closeError) => {
          if (syncError ?? closeError) reject(syncError ?? closeError);
          else resolve();
        });
      });
    });
  });
}
