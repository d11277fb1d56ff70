/**
 * A Sieve (RFC 5228) parser: script text → commands. Pure, no I/O. The grammar is the RFC's (§8.2): commands with
 * arguments (tags, numbers with K/M/G, strings, string lists), tests and test lists, blocks; comments of both
 * kinds; multi-line `text:` strings. Which commands exist is the interpreter's business.
 */

export type SieveArgument = { kind: 'tag'; value: string } | { kind: 'number'; value: number } | { kind: 'strings'; value: string[] };

export interface SieveTest {
  name: string;
  args: SieveArgument[];
  tests: SieveTest[];
}

export interface SieveCommand {
  name: string;
  args: SieveArgument[];
  tests: SieveTest[];
  block: SieveCommand[] | null;
  line: number;
}

export class SieveSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

type Token =
  | { kind: 'identifier' | 'tag' | 'string'; value: string; line: number }
  | { kind: 'number'; value: number; line: number }
  | { kind: 'punct'; value: string; line: number };

const MAX_SCRIPT = 64 * 1024;
const MAX_DEPTH = 16;

function tokenize(script: string): Token[] {
  if (script.length > MAX_SCRIPT) throw new SieveSyntaxError(`script longer than ${MAX_SCRIPT} characters`, 1);
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      if (end < 0) throw new SieveSyntaxError('unterminated comment', line);
      line += (script.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
      continue;
    }
    if (c === '"') {
      let value = '';
      const start = line;
      i++;
      for (;;) {
        if (i >= script.length) throw new SieveSyntaxError('unterminated string', start);
        const d = script[i]!;
        if (d === '"') {
          i++;
          break;
        }
        // RFC 5228 §2.4.2: a backslash quotes the next character.
        if (d === '\\' && i + 1 < script.length) {
          value += script[i + 1];
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value, line: start });
      continue;
    }
    const text = /^text:[ \t]*(#[^\n]*)?\r?\n/.exec(script.slice(i));
    if (text) {
      // RFC 5228 §2.4.2: a multi-line string ends at a line holding only "."; a line starting ".." loses one dot.
      const start = line;
      i += text[0].length;
      line++;
      const lines: string[] = [];
      for (;;) {
        const end = script.indexOf('\n', i);
        if (end < 0) throw new SieveSyntaxError('unterminated text: string', start);
        const content = script.slice(i, end).replace(/\r$/, '');
        i = end + 1;
        line++;
        if (content === '.') break;
        lines.push(content.startsWith('..') ? content.slice(1) : content);
      }
      tokens.push({ kind: 'string', value: lines.map((item) => `${item}\r\n`).join(''), line: start });
      continue;
    }
    const number = /^(\d+)([KMG]?)/i.exec(script.slice(i));
    if (number) {
      const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[number[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
      tokens.push({ kind: 'number', value: Number(number[1]) * unit, line });
      i += number[0].length;
      continue;
    }
    const word = /^:?[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i));
    if (word) {
      tokens.push(
        word[0].startsWith(':')
          ? { kind: 'tag', value: word[0].slice(1).toLowerCase(), line }
          : { kind: 'identifier', value: word[0].toLowerCase(), line },
      );
      i += word[0].length;
      continue;
    }
    if ('[](){},;'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, line });
      i++;
      continue;
    }
    throw new SieveSyntaxError(`unexpected character "${c}"`, line);
  }
  return tokens;
}

/** Parses a script; throws SieveSyntaxError naming the line of the first mistake. */
export function parseSieve(script: string): SieveCommand[] {
  const tokens = tokenize(script);
  let at = 0;
  const peek = () => tokens[at];
  const lastLine = () => tokens[tokens.length - 1]?.line ?? 1;
  const expect = (value: string) => {
    const token = tokens[at];
    if (!token || token.kind !== 'punct' || token.value !== value)
      throw new SieveSyntaxError(`expected "${value}"`, token?.line ?? lastLine());
    at++;
  };
  const isPunct = (value: string) => peek()?.kind === 'punct' && peek()!.value === value;

  const argumentsOf = (): SieveArgument[] => {
    const args: SieveArgument[] = [];
    for (;;) {
      const token = peek();
      if (!token) return args;
      if (token.kind === 'tag') {
        args.push({ kind: 'tag', value: token.value });
        at++;
        continue;
      }
      if (token.kind === 'number') {
        args.push({ kind: 'number', value: token.value });
        at++;
        continue;
      }
      if (token.kind === 'string') {
        args.push({ kind: 'strings', value: [token.value] });
        at++;
        continue;
      }
      if (isPunct('[')) {
        at++;
        const list: string[] = [];
        for (;;) {
          const item = peek();
          if (!item || item.kind !== 'string') throw new SieveSyntaxError('expected a string in the list', item?.line ?? lastLine());
          list.push(item.value);
          at++;
          if (isPunct(',')) {
            at++;
            continue;
          }
          expect(']');
          break;
        }
        args.push({ kind: 'strings', value: list });
        continue;
      }
      return args;
    }
  };

  const test = (depth: number): SieveTest => {
    const token = peek();
    if (!token || token.kind !== 'identifier') throw new SieveSyntaxError('expected a test', token?.line ?? lastLine());
    if (depth > MAX_DEPTH) throw new SieveSyntaxError('tests nested too deep', token.line);
    at++;
    const args = argumentsOf();
    let tests: SieveTest[] = [];
    if (isPunct('(')) {
      at++;
      tests = [test(depth + 1)];
      while (isPunct(',')) {
        at++;
        tests.push(test(depth + 1));
      }
      expect(')');
    } else if (peek()?.kind === 'identifier') {
      tests = [test(depth + 1)];
    }
    return { name: token.value, args, tests };
  };

  const commands = (depth: number): SieveCommand[] => {
    const result: SieveCommand[] = [];
    while (peek() && !isPunct('}')) {
      const token = peek()!;
      if (token.kind !== 'identifier') throw new SieveSyntaxError('expected a command', token.line);
      if (depth > MAX_DEPTH) throw new SieveSyntaxError('blocks nested too deep', token.line);
      at++;
      const args = argumentsOf();
      let tests: SieveTest[] = [];
      if (peek()?.kind === 'identifier') tests = [test(0)];
      else if (isPunct('(')) {
        at++;
        tests = [test(0)];
        while (isPunct(',')) {
          at++;
          tests.push(test(0));
        }
        expect(')');
      }
      let block: SieveCommand[] | null = null;
      if (isPunct('{')) {
        at++;
        block = commands(depth + 1);
        expect('}');
      } else {
        expect(';');
      }
      result.push({ name: token.value, args, tests, block, line: token.line });
    }
    return result;
  };

  const parsed = commands(0);
  if (at < tokens.length) throw new SieveSyntaxError('unexpected "}"', tokens[at]!.line);
  return parsed;
}
