import { describe, expect, it } from 'vitest';
import { Pop3LineReader } from './pop3-line-reader.js';
import { parseCommandLine, parseNumber } from './pop3-command.parser.js';

describe('POP3 command parser', () => {
  it('splits keyword and arguments', () => {
    expect(parseCommandLine('retr 1')).toEqual({ verb: 'RETR', words: ['1'], rest: '1' });
    expect(parseCommandLine('TOP 3 10')).toEqual({ verb: 'TOP', words: ['3', '10'], rest: '3 10' });
    expect(parseCommandLine('CAPA')).toEqual({ verb: 'CAPA', words: [], rest: '' });
  });

  it('keeps the rest of a PASS line, spaces included', () => {
    expect(parseCommandLine('PASS  two words ')?.rest).toBe(' two words ');
  });

  it('refuses empty and malformed keywords', () => {
    expect(parseCommandLine('')).toBeNull();
    expect(parseCommandLine(' RETR 1')).toBeNull();
    expect(parseCommandLine('RE\u0000TR')).toBeNull();
    expect(parseCommandLine('X'.repeat(41))).toBeNull();
  });

  it('reads message numbers strictly', () => {
    expect(parseNumber('12')).toBe(12);
    for (const bad of ['', '-1', '1.5', '0x1', '12345678901', ' 1']) expect(parseNumber(bad)).toBeNull();
  });
});

describe('POP3 line reader', () => {
  it('frames CRLF and LF lines across chunks', () => {
    const reader = new Pop3LineReader(100);
    expect(reader.push(Buffer.from('US'))).toEqual([]);
    expect(reader.push(Buffer.from('ER a\r\nPASS b\nST'))).toEqual([
      { kind: 'line', text: 'USER a' },
      { kind: 'line', text: 'PASS b' },
    ]);
    expect(reader.push(Buffer.from('AT\r\n'))).toEqual([{ kind: 'line', text: 'STAT' }]);
  });

  it('reports an over-long line once and resumes at the next line', () => {
    const reader = new Pop3LineReader(10);
    expect(reader.push(Buffer.from('X'.repeat(8)))).toEqual([]);
    expect(reader.push(Buffer.from('Y'.repeat(8)))).toEqual([{ kind: 'overlong' }]);
    expect(reader.push(Buffer.from('Z'.repeat(50)))).toEqual([]);
    expect(reader.push(Buffer.from('Z\r\nNOOP\r\n'))).toEqual([{ kind: 'line', text: 'NOOP' }]);
    expect(reader.push(Buffer.from(`${'Q'.repeat(20)}\r\nQUIT\r\n`))).toEqual([{ kind: 'overlong' }, { kind: 'line', text: 'QUIT' }]);
  });
});
