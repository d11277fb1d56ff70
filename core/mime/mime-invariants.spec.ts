import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze-message.js';
import type { MimePart } from './message-analysis.types.js';
import { sectionBytes } from './message-section.js';

const dir = new URL('../../test/fixtures/eml/', import.meta.url);
const fixtures = readdirSync(dir).filter((name) => name.endsWith('.eml'));

/** Offsets nest: each part lies inside its parent's body, and header ≤ body start ≤ body end. */
function checkOffsets(part: MimePart, start: number, end: number): void {
  expect(part.headerStart).toBeGreaterThanOrEqual(start);
  expect(part.headerStart).toBeLessThanOrEqual(part.bodyStart);
  expect(part.bodyStart).toBeLessThanOrEqual(part.bodyEnd);
  expect(part.bodyEnd).toBeLessThanOrEqual(end);
  for (const child of part.parts ?? []) checkOffsets(child, part.bodyStart, part.bodyEnd);
  if (part.message) checkOffsets(part.message.root, part.bodyStart, part.bodyEnd);
  if (part.type === 'multipart') expect(part.parts?.length).toBeGreaterThan(0);
}

/** A small deterministic generator, so that failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('analysis of damaged fixtures', () => {
  it.each(fixtures)('%s: every truncation and random byte damage gives consistent offsets', async (name) => {
    const raw = readFileSync(new URL(name, dir));
    const next = random(raw.length);
    const variants: Buffer[] = [];
    for (let cut = 0; cut <= raw.length; cut += 7) variants.push(raw.subarray(0, cut));
    for (let i = 0; i < 100; i++) {
      const copy = Buffer.from(raw);
      for (let j = 0; j < 5; j++)
        copy[Math.floor(next() * copy.length)] = [0x0a, 0x0d, 0x2d, 0x3a, 0x3b, 0x22, 0x80][Math.floor(next() * 7)]!;
      variants.push(copy);
    }
    for (const variant of variants) {
      const analysis = await analyzeMessage(variant);
      checkOffsets(analysis.root, 0, variant.length);
      expect(sectionBytes(variant, analysis.root, { parts: [1], specifier: 'MIME' })).not.toBeUndefined();
      expect(() => JSON.stringify(analysis)).not.toThrow();
    }
  });
});
