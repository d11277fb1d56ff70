import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUZZ_LIMITS } from './fuzz-limits.js';
import { generateSession } from './fuzz-generator.js';
import { parseFuzzOptions } from './fuzz-options.js';
import { Prng } from './prng.js';
import { readReplayFile, writeReplayFile } from './replay-file.js';

const bytesOf = (seed: string, protocol: 'imap' | 'pop3' | 'smtp' | 'all', index: number) =>
  Buffer.concat(generateSession(seed, protocol, index).steps.map((step) => step.send)).toString('base64');

describe('fuzz session generation', () => {
  it('draws the same numbers from the same seed and others from another', () => {
    const draw = (seed: string) => {
      const prng = new Prng(seed);
      return Array.from({ length: 8 }, () => prng.next());
    };
    expect(draw('18')).toEqual(draw('18'));
    expect(draw('18')).not.toEqual(draw('19'));
  });

  it('makes the same sessions from the same seed, whatever was generated before', () => {
    for (const protocol of ['imap', 'pop3', 'smtp', 'all'] as const) {
      const first = Array.from({ length: 30 }, (_, i) => bytesOf('seed-a', protocol, i));
      expect(bytesOf('seed-a', protocol, 17)).toBe(first[17]);
      expect(Array.from({ length: 30 }, (_, i) => bytesOf('seed-a', protocol, i))).toEqual(first);
      expect(first.filter((bytes, i) => bytes === bytesOf('seed-b', protocol, i)).length).toBeLessThan(5);
    }
  });

  it('rotates the protocols in --protocol all and keeps every session within its byte budget', () => {
    expect([0, 1, 2, 3].map((i) => generateSession('x', 'all', i).protocol)).toEqual(['imap', 'pop3', 'smtp', 'imap']);
    for (let i = 0; i < 300; i++) {
      const session = generateSession('budget', 'all', i);
      const total = session.steps.reduce((sum, step) => sum + step.send.length, 0);
      expect(total).toBeLessThanOrEqual(FUZZ_LIMITS.maxSessionBytes);
      for (const step of session.steps) expect(step.send.length).toBeLessThanOrEqual(FUZZ_LIMITS.maxStepBytes + 64 * 1024);
    }
  });

  it("reaches the grammar: logins, literals, mutations and each protocol's commands", () => {
    const text = Array.from({ length: 300 }, (_, i) =>
      generateSession('cover', 'all', i)
        .steps.map((step) => step.send.toString('latin1'))
        .join(''),
    ).join('');
    for (const needle of [
      'LOGIN',
      'SELECT',
      'FETCH',
      'SEARCH',
      'STORE',
      'APPEND',
      'LIST',
      '+}\r\n',
      'USER ',
      'PASS ',
      'RETR ',
      'TOP ',
      'UIDL',
      'EHLO',
      'MAIL FROM:',
      'RCPT TO:',
      'DATA\r\n',
      'BDAT ',
      'AUTH PLAIN',
      '((((((((',
    ]) {
      expect(text, needle).toContain(needle);
    }
    const mutations = new Set(
      Array.from({ length: 300 }, (_, i) =>
        generateSession('cover', 'all', i).steps.flatMap((step) => step.mutation?.split('+') ?? []),
      ).flat(),
    );
    for (const name of [
      'long-line',
      'odd-bytes',
      'deep-parens',
      'wildcards',
      'repeat-token',
      'truncate',
      'line-ending',
      'chained-literals',
      'huge-literal',
    ])
      expect(mutations, name).toContain(name);
  });

  it('writes a replay file that reads back as the same session', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-replay-'));
    try {
      const session = generateSession('r', 'imap', 4);
      const file = join(dir, 'replay.json');
      writeReplayFile(
        file,
        { kind: 'hang', detail: 'd', seed: 'r', protocol: 'imap', database: 'sqlite', transcript: [], serverLog: '' },
        session,
      );
      expect(readReplayFile(file).session).toEqual(session);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the command line and refuses what it does not know', () => {
    expect(parseFuzzOptions(['--protocol', 'smtp', '--seconds', '60', '--seed', '18'])).toMatchObject({
      protocol: 'smtp',
      seconds: 60,
      seed: '18',
    });
    expect(parseFuzzOptions(['--replay', 'f.json', '--last-only'])).toMatchObject({ replay: 'f.json', lastOnly: true });
    expect(parseFuzzOptions(['--protocol', 'nntp'])).toBeTypeOf('string');
    expect(parseFuzzOptions(['--seconds', '0'])).toBeTypeOf('string');
    expect(parseFuzzOptions(['--bogus'])).toBeTypeOf('string');
  });
});
