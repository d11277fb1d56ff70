import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'worker-pool-'));

/** A stand-in worker script speaking the pool's job protocol; `payload` is a command string for the thread. */
function script(name: string, body: string): URL {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', ({ seq, payload }) => {\n${body}\n});\n`,
  );
  return pathToFileURL(path);
}

const commands = script(
  'commands.mjs',
  `
  if (payload === 'spin') { for (;;) {} }
  if (payload === 'hog') { const kept = []; for (;;) kept.push(new Array(1e6).fill(kept.length)); }
  if (payload === 'throw') return parentPort.postMessage({ seq, ok: false, message: 'bad input' });
  parentPort.postMessage({ seq, ok: true, value: payload.toUpperCase() });`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkerPool', () => {
  it('answers jobs in their threads and reports a refused job as failed', async () => {
    const pool = new WorkerPool<string, string>(commands, { threads: 2, maxQueued: 4 });
    try {
      expect(await Promise.all(['a', 'b', 'c'].map((job) => pool.run(job)))).toEqual(['A', 'B', 'C'].map((value) => ({ ok: true, value })));
      expect(await pool.run('throw')).toEqual({ ok: false, reason: 'failed' });
    } finally {
      await pool.close();
    }
  });

  it('stops a job that overruns its time as busy, and runs the next one in a new thread', async () => {
    const pool = new WorkerPool<string, string>(commands, { threads: 1, maxQueued: 4, timeoutMs: 300 });
    try {
      const queued = pool.run('after');
      expect(await pool.run('spin')).toEqual({ ok: false, reason: 'busy' });
      expect(await queued).toEqual({ ok: true, value: 'AFTER' });
    } finally {
      await pool.close();
    }
  });

  it('fails a job whose thread outgrows its heap, and goes on', async () => {
    const pool = new WorkerPool<string, string>(commands, { threads: 1, maxQueued: 4, threadHeapMb: 32 });
    try {
      expect(await pool.run('hog')).toEqual({ ok: false, reason: 'failed' });
      expect(await pool.run('fine')).toEqual({ ok: true, value: 'FINE' });
    } finally {
      await pool.close();
    }
  });
});
