import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConnectionCeiling, parseOpenFilesLimit, readDescriptorLimit } from './descriptor-limit.js';

const LIMITS = [
  'Limit                     Soft Limit           Hard Limit           Units     ',
  'Max cpu time              unlimited            unlimited            seconds   ',
  'Max open files            20000                524288               files     ',
  'Max locked memory         8388608              8388608              bytes     ',
].join('\n');

describe('descriptor limit', () => {
  it('reads the soft limit of the Max open files line', () => {
    expect(parseOpenFilesLimit(LIMITS)).toBe(20000);
    expect(parseOpenFilesLimit(LIMITS.replace('20000 ', 'unlimited'))).toBe(1_048_576);
    expect(parseOpenFilesLimit('Max cpu time unlimited unlimited seconds')).toBeNull();
  });

  it('falls back to 1024 when the file is missing or says nothing usable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailhive-limits-'));
    writeFileSync(join(dir, 'limits'), 'Max open files            lots\n');
    expect(readDescriptorLimit(join(dir, 'limits'))).toBe(1024);
    expect(readDescriptorLimit(join(dir, 'missing'))).toBe(1024);
  });

  it("reads this process's own limit on Linux", () => {
    if (process.platform !== 'linux') return;
    expect(readDescriptorLimit()).toBeGreaterThan(0);
  });

  it('keeps a quarter of the descriptors, at least 64, for the store, blobs and outbound', () => {
    expect(defaultConnectionCeiling(20000)).toBe(15000);
    expect(defaultConnectionCeiling(1024)).toBe(768);
    expect(defaultConnectionCeiling(200)).toBe(136);
    expect(defaultConnectionCeiling(40)).toBe(16);
  });
});
