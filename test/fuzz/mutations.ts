import { FUZZ_LIMITS } from './fuzz-limits.js';
import type { Prng } from './prng.js';

/** A mutated command: its bytes with a line ending (or none, when truncated) and the name of the mutation. */
export interface Mutated {
  bytes: Buffer;
  name: string;
  /** The command was cut short: the session sends nothing after it. */
  truncated: boolean;
}

type LineMutation = (prng: Prng, line: string) => string | Buffer;

const EDGE_NUMBERS = [
  '0',
  '-1',
  '4294967295',
  '4294967296',
  '18446744073709551616',
  '99999999999999999999',
  '1:*',
  '*:*',
  '2147483648',
  '007',
];
const ODD_BYTES = [0x00, 0x01, 0x08, 0x0b, 0x1b, 0x7f, 0x80, 0xa0, 0xc0, 0xc1, 0xed, 0xf5, 0xfe, 0xff, 0x0d, 0x0a];
const LINE_ENDINGS = ['\r\n', '\n', '\r', '\r\r\n', '\n\r', '\r\n\r\n', '\r\0\n'];

/** Splits at the first character of `piece`-free positions: a random cut point, never inside our own CRLF. */
function insertAt(prng: Prng, line: string, piece: string): string {
  const at = prng.int(line.length + 1);
  return line.slice(0, at) + piece + line.slice(at);
}

function bounded(count: number, unit: number): number {
  return Math.max(1, Math.min(count, Math.floor(FUZZ_LIMITS.maxStepBytes / Math.max(1, unit))));
}

/** The mutations, by name: each takes a well-formed command line (no line ending) and returns a hostile one. */
export const LINE_MUTATIONS: Readonly<Record<string, LineMutation>> = {
  'long-line': (prng, line) =>
    insertAt(prng, line, prng.pick(['a', 'x', '*', '%', '1', ' ', '"']).repeat(bounded(prng.pick([1000, 9000, 70_000, 300_000]), 1))),
  'odd-bytes': (prng, line) => {
    const bytes = Buffer.from(line, 'latin1');
    const out: number[] = [...bytes];
    const count = prng.range(1, 8);
    for (let i = 0; i < count; i++) out.splice(prng.int(out.length + 1), 0, prng.pick(ODD_BYTES));
    return Buffer.from(out);
  },
  'deep-parens': (prng, line) => {
    const depth = bounded(prng.pick([50, 500, 5000, 50_000]), 2);
    const close = prng.chance(0.5) ? ')'.repeat(depth) : ')'.repeat(prng.int(depth));
    return insertAt(prng, line, '('.repeat(depth) + close);
  },
  wildcards: (prng, line) =>
    insertAt(prng, line, Array.from({ length: prng.range(10, 400) }, () => prng.pick(['*', '%', '*a', '%a', 'a*', '.*', '\\'])).join('')),
  'repeat-token': (prng, line) => {
    const tokens = line.split(' ');
    const token = prng.pick(tokens);
    const times = bounded(prng.pick([10, 200, 2000, 20_000]), token.length + 1);
    return `${line} ${Array.from({ length: times }, () => token).join(' ')}`;
  },
  'edge-number': (prng, line) => {
    const tokens = line.split(' ');
    tokens[prng.int(tokens.length)] = prng.pick(EDGE_NUMBERS);
    return tokens.join(' ');
  },
  quotes: (prng, line) => insertAt(prng, line, prng.pick(['"', '\\', '"\\', '\\"', '""', '"{5}', '{', '}', '[', ']', '<', '>', '"\r'])),
  'drop-token': (prng, line) => {
    const tokens = line.split(' ');
    tokens.splice(prng.int(tokens.length), 1);
    return tokens.join(' ');
  },
  'duplicate-token': (prng, line) => {
    const tokens = line.split(' ');
    const at = prng.int(tokens.length);
    tokens.splice(at, 0, tokens[at]);
    return tokens.join(' ');
  },
  case: (prng, line) => [...line].map((char) => (prng.chance(0.5) ? char.toLowerCase() : char.toUpperCase())).join(''),
  empty: () => '',
  spaces: (prng, line) => line.split(' ').join(prng.pick(['  ', '\t', ' \t ', ''])),
};

const NAMES = Object.keys(LINE_MUTATIONS);

/**
 * Mutates one command line: one or two line mutations, then sometimes an odd line ending, and sometimes a cut in
 * the middle (truncation) after which the session ends.
 */
export function mutateLine(prng: Prng, line: string): Mutated {
  const names: string[] = [];
  let body: string | Buffer = line;
  const rounds = prng.chance(0.2) ? 2 : 1;
  for (let i = 0; i < rounds; i++) {
    const name = prng.pick(NAMES);
    names.push(name);
    body = LINE_MUTATIONS[name](prng, typeof body === 'string' ? body : body.toString('latin1'));
  }
  let bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  if (bytes.length > FUZZ_LIMITS.maxStepBytes) bytes = bytes.subarray(0, FUZZ_LIMITS.maxStepBytes);
  if (prng.chance(0.08)) {
    names.push('truncate');
    return { bytes: bytes.subarray(0, prng.int(bytes.length + 1)), name: names.join('+'), truncated: true };
  }
  let ending = '\r\n';
  if (prng.chance(0.15)) {
    ending = prng.pick(LINE_ENDINGS);
    names.push('line-ending');
  }
  return { bytes: Buffer.concat([bytes, Buffer.from(ending, 'latin1')]), name: names.join('+'), truncated: false };
}
