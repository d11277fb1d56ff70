import { FUZZ_LIMITS } from './fuzz-limits.js';
import type { Prng } from './prng.js';

/** Who the fuzzed server hosts: one user whose mailbox the sessions read and change, and a second local user. */
export const FUZZ_ACCOUNT = {
  domain: 'fuzz.example',
  user: 'fuzz@fuzz.example',
  peer: 'peer@fuzz.example',
  password: 'fuzz-password-1',
} as const;

const WORDS = ['hello', 'meeting', 'invoice', 'Grüße', 'naïve', '日本語', 'report', 'a', 'zz', 'Re:', 'FW:', '=?utf-8?B?w6k=?='];

function words(prng: Prng, count: number): string {
  return Array.from({ length: count }, () => prng.pick(WORDS)).join(' ');
}

function header(prng: Prng, subject: string): string {
  const date = new Date(Date.UTC(2020 + prng.int(7), prng.int(12), 1 + prng.int(28), prng.int(24), prng.int(60))).toUTCString();
  return `From: Sender <sender${prng.int(9)}@remote.example>\r\nTo: ${FUZZ_ACCOUNT.user}\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <m${prng.next()}@remote.example>\r\nMIME-Version: 1.0\r\n`;
}

function nested(prng: Prng, depth: number): string {
  if (depth === 0) return `Content-Type: text/plain; charset=utf-8\r\n\r\n${words(prng, 5)}\r\n`;
  const boundary = `b${depth}x${prng.int(1000)}`;
  return `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n${nested(prng, depth - 1)}--${boundary}--\r\n`;
}

type Shape = (prng: Prng) => string;

/**
 * Message shapes a hostile sender would try: plain, multipart with an attachment, deep nesting, thousands of parts,
 * a megabyte-long header line, many encoded words, raw 8-bit bytes, a broken MIME structure.
 */
const SHAPES: Readonly<Record<string, Shape>> = {
  plain: (prng) => `${header(prng, words(prng, 3))}Content-Type: text/plain; charset=utf-8\r\n\r\n${words(prng, 20)}\r\n`,
  attachment: (prng) =>
    `${header(prng, 'with attachment')}Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p onclick="x()">${words(prng, 8)}<script>1</script></p>\r\n--zz\r\nContent-Type: application/octet-stream; name="a.bin"\r\nContent-Disposition: attachment; filename="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${prng.bytes(600).toString('base64')}\r\n--zz--\r\n`,
  'deep-nesting': (prng) => header(prng, 'deep') + nested(prng, prng.pick([10, 60, 200])),
  'many-parts': (prng) => {
    const count = prng.pick([100, 1000, 3000]);
    const parts = Array.from({ length: count }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`).join('');
    return `${header(prng, 'parts')}Content-Type: multipart/mixed; boundary="p"\r\n\r\n${parts}--p--\r\n`;
  },
  'long-header': (prng) => `${header(prng, 'x'.repeat(prng.pick([1000, 100_000, 400_000])))}\r\nbody\r\n`,
  'encoded-words': (prng) =>
    `${header(prng, Array.from({ length: prng.pick([50, 2000, 10_000]) }, () => '=?utf-8?Q?=C3=A9?=').join(' '))}\r\nbody\r\n`,
  '8bit': (prng) =>
    `${header(prng, '8bit')}Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${prng.bytes(300).toString('latin1').split('\r\n.').join('\r\n..')}\r\n`,
  'broken-mime': (prng) =>
    `${header(prng, 'broken')}Content-Type: multipart/alternative; boundary=\r\n\r\n--\r\nContent-Type: text/plain; charset="unknown-charset"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=\r\n`,
  'no-header': (prng) => `\r\n${words(prng, 4)}\r\n`,
};

const SHAPE_NAMES = Object.keys(SHAPES);

/** A message for APPEND, DATA or BDAT, as raw bytes within the step limit; `shape` names which kind it is. */
export function fuzzMessage(prng: Prng): { raw: Buffer; shape: string } {
  const shape = prng.chance(0.6) ? prng.pick(['plain', 'attachment']) : prng.pick(SHAPE_NAMES);
  const raw = Buffer.from(SHAPES[shape](prng), 'latin1');
  return { raw: raw.subarray(0, FUZZ_LIMITS.maxStepBytes - 1024), shape };
}
