import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze-message.js';
import { ANALYSIS_QUEUE_LIMIT, ANALYSIS_THREADS, createMessageAnalyzer, MessageAnalysisPool } from './message-analysis-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'analysis-pool-'));

/** A stand-in worker script: the pool's plumbing is under test here, not the analysis (which has its own tests). */
function script(name: string, body: string): URL {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', ({ seq, payload: raw }) => {\n${body}\n});\n`,
  );
  return pathToFileURL(path);
}

// A message starting with '!' ends the thread as running out of memory would; others get a stub analysis.
const crashing = script(
  'crashing.mjs',
  `
  if (raw[0] === 0x21) process.exit(1);
  parentPort.postMessage({ seq, ok: true, value: { subject: String(raw.length) } });`,
);
const silent = script('silent.mjs', '');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MessageAnalysisPool', () => {
  it('fails only the message whose thread died, and analyses the next one in a new thread', async () => {
    const pool = new MessageAnalysisPool(crashing);
    try {
      expect(await pool.analyze(Buffer.from('!boom'), false)).toEqual({ ok: false, reason: 'failed' });
      const next = await pool.analyze(Buffer.from('fine'), false);
      expect(next).toEqual({ ok: true, analysis: { subject: '4' } });
    } finally {
      await pool.close();
    }
  });

  it('refuses as busy once the bounded queue is full, and answers every waiter at close', async () => {
    const pool = new MessageAnalysisPool(silent);
    const waiting = Array.from({ length: ANALYSIS_THREADS + ANALYSIS_QUEUE_LIMIT }, () => pool.analyze(Buffer.from('x'), false));
    expect(await pool.analyze(Buffer.from('x'), false)).toEqual({ ok: false, reason: 'busy' });
    await pool.close();
    for (const outcome of await Promise.all(waiting)) expect(outcome).toEqual({ ok: false, reason: 'busy' });
  });

  it('moves an owned buffer to the thread without a copy, and copies one the caller keeps', async () => {
    const pool = new MessageAnalysisPool(crashing);
    try {
      const kept = Buffer.from('kept message');
      expect(await pool.analyze(kept, false)).toEqual({ ok: true, analysis: { subject: '12' } });
      expect(kept.toString()).toBe('kept message');
      const owned = Buffer.alloc(300_000, 'a');
      expect(await pool.analyze(owned, true)).toEqual({ ok: true, analysis: { subject: '300000' } });
      // Transferred: the memory now belongs to the thread.
      expect(owned.buffer.byteLength).toBe(0);
      // A view into a larger buffer (Node's pool for small Buffers) is copied even when owned.
      const whole = Buffer.from('0123456789');
      const view = whole.subarray(2, 6);
      expect(await pool.analyze(view, true)).toEqual({ ok: true, analysis: { subject: '4' } });
      expect(whole.toString()).toBe('0123456789');
    } finally {
      await pool.close();
    }
  });
});

describe('createMessageAnalyzer', () => {
  it('gives the same analysis as analyzeMessage', async () => {
    const analyzer = createMessageAnalyzer(1024);
    const raw = Buffer.from('Subject: Hello\r\nContent-Type: text/html\r\n\r\n<p>needle &amp; thread</p>\r\n');
    try {
      expect(await analyzer.analyze(raw, false)).toEqual({ ok: true, analysis: await analyzeMessage(raw) });
    } finally {
      await analyzer.close();
    }
  });
});
