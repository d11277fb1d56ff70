import type { ReadStream, WriteStream } from 'node:tty';
import { MAX_PASSWORD_LINE_BYTES } from './password-input.js';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * Asks a terminal for a password without echoing it (raw mode, as `passwd` does), then once more to confirm.
 * Rejects on Ctrl-C, Ctrl-D, a mismatch or an empty answer; the terminal is restored in every case.
 */
export async function promptNewPassword(input: ReadStream, output: WriteStream): Promise<string> {
  const first = await promptHidden(input, output, 'New password: ');
  const second = await promptHidden(input, output, 'Repeat it: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function promptHidden(input: ReadStream, output: WriteStream, question: string): Promise<string> {
  // Raw mode before the question: an answer typed the moment it appears must not be echoed.
  input.setRawMode(true);
  output.write(question);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else if (answer === '') reject(new Error('no password given'));
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === CTRL_C || char === CTRL_D) return finish(new Error('cancelled'));
        if (char === '\r' || char === '\n') return finish(null);
        if (BACKSPACE.has(char)) answer = answer.slice(0, -1);
        else if (Buffer.byteLength(answer) >= MAX_PASSWORD_LINE_BYTES)
          return finish(new Error(`a password is at most ${MAX_PASSWORD_LINE_BYTES} bytes`));
        else if (char >= ' ') answer += char;
      }
    };
    input.on('data', onData);
  });
}
