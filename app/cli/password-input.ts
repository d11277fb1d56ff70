import type { Readable } from 'node:stream';

/** A password line longer than this is refused rather than read on without end. */
export const MAX_PASSWORD_LINE_BYTES = 4096;

export type PasswordLine = { ok: true; password: string } | { ok: false; reason: string };

/**
 * Reads the first line of `input` (`--password-stdin`), without its line ending, so that a password need not appear
 * on the command line where `ps` shows it. Stops reading at the first line ending or at the size limit.
 */
export function readPasswordLine(input: Readable, limit = MAX_PASSWORD_LINE_BYTES): Promise<PasswordLine> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: PasswordLine) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(result);
    };
    const lineOf = (buffer: Buffer): PasswordLine => {
      const password = buffer.toString('utf8').replace(/\r$/, '');
      return password ? { ok: true, password } : { ok: false, reason: 'no password on standard input' };
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const newline = bytes.indexOf(0x0a);
      const part = newline >= 0 ? bytes.subarray(0, newline) : bytes;
      size += part.length;
      if (size > limit) return finish({ ok: false, reason: `the password line on standard input is longer than ${limit} bytes` });
      chunks.push(part);
      if (newline >= 0) finish(lineOf(Buffer.concat(chunks)));
    };
    const onEnd = () => finish(lineOf(Buffer.concat(chunks)));
    const onError = (error: Error) => finish({ ok: false, reason: `cannot read standard input: ${error.message}` });
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}
