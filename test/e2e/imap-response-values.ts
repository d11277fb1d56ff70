/** An IMAP response value read back from the wire: an atom or number, a string (quoted or literal), NIL or a list. */
export type ImapValue = { atom: string } | { string: string } | null | ImapValue[];

/**
 * Reads the values of one response (`* 3 FETCH (...)`, from the data after the tag) out of latin1 text in which
 * literals `{n}\r\n` are followed by their n bytes. Quoted strings and literals both become `{ string }`: the same
 * value in either form (RFC 3501 §4.3) reads the same.
 */
export function readValues(text: string): ImapValue[] {
  let pos = 0;
  const values: ImapValue[] = [];
  const stack: ImapValue[][] = [values];
  const top = (): ImapValue[] => stack[stack.length - 1]!;
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === ' ' || ch === '\r' || ch === '\n') {
      pos++;
    } else if (ch === '(') {
      const list: ImapValue[] = [];
      top().push(list);
      stack.push(list);
      pos++;
    } else if (ch === ')') {
      if (stack.length > 1) stack.pop();
      pos++;
    } else if (ch === '"') {
      let out = '';
      pos++;
      while (pos < text.length && text[pos] !== '"') {
        if (text[pos] === '\\') pos++;
        out += text[pos] ?? '';
        pos++;
      }
      pos++;
      top().push({ string: out });
    } else if (ch === '{' || (ch === '~' && text[pos + 1] === '{')) {
      const open = text.indexOf('{', pos);
      const close = text.indexOf('}', open);
      const length = Number(text.slice(open + 1, close).replace('+', ''));
      const start = close + 3;
      top().push({ string: text.slice(start, start + length) });
      pos = start + length;
    } else {
      let end = pos;
      // An atom runs to a space or a parenthesis, except inside the brackets of BODY[...] and BINARY.SIZE[...].
      let bracket = 0;
      while (end < text.length) {
        const c = text[end]!;
        if (c === '[') bracket++;
        else if (c === ']') bracket--;
        else if (bracket === 0 && (c === ' ' || c === '(' || c === ')' || c === '\r' || c === '\n')) break;
        end++;
      }
      const word = text.slice(pos, end);
      top().push(word.toUpperCase() === 'NIL' ? null : { atom: word });
      pos = end;
    }
  }
  return values;
}

/** The `NAME value` pairs of a FETCH response's list, by upper-cased name. */
export function fetchItems(values: ImapValue[]): Map<string, ImapValue> {
  const map = new Map<string, ImapValue>();
  for (let i = 0; i + 1 < values.length; i += 2) {
    const name = values[i];
    if (name && !Array.isArray(name) && 'atom' in name) map.set(name.atom.toUpperCase(), values[i + 1] ?? null);
  }
  return map;
}

export function isList(value: ImapValue): value is ImapValue[] {
  return Array.isArray(value);
}

export function stringOf(value: ImapValue): string | null {
  if (value === null || Array.isArray(value)) return null;
  return 'string' in value ? value.string : value.atom;
}

/** A canonical text of a value, for comparing and for showing a difference. */
export function show(value: ImapValue): string {
  if (value === null) return 'NIL';
  if (Array.isArray(value)) return `(${value.map(show).join(' ')})`;
  if ('atom' in value) return value.atom;
  return JSON.stringify(value.string);
}
