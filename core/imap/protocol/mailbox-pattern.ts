/**
 * LIST/LSUB mailbox patterns (RFC 3501 §6.3.8, RFC 9051 §6.3.9): `*` matches any characters, `%` any
 * characters but the hierarchy delimiter, everything else itself. Matched by simulating the pattern's
 * automaton on bit sets, one step per character of the name: time O(name × pattern / 32), whatever the
 * pattern, and no RegExp built from client input (a backtracking `.*a.*a.*b` is exponential).
 */
const STAR = -1;
const PERCENT = -2;
const DELIMITER = 0x2f;

/** A test for one pattern; `matches` may be called for any number of names. */
export type MailboxPatternMatcher = (name: string) => boolean;

export function mailboxPatternMatcher(pattern: string): MailboxPatternMatcher {
  // RFC 3501 §5.1: INBOX is case-insensitive, and stored as "INBOX".
  const tokens = compactWildcards(pattern.replace(/^inbox(?=$|\/)/i, 'INBOX'));
  const size = tokens.length;
  const words = (size >>> 5) + 1;
  // Bit i stands for "the first i tokens are matched"; bit `size` for the whole pattern.
  const literals = new Map<number, Uint32Array>();
  const star = new Uint32Array(words);
  const anyWildcard = new Uint32Array(words);
  tokens.forEach((token, i) => {
    const word = i >>> 5;
    const bit = 1 << (i & 31);
    if (token === STAR || token === PERCENT) {
      anyWildcard[word] |= bit;
      if (token === STAR) star[word] |= bit;
      return;
    }
    let mask = literals.get(token);
    if (!mask) literals.set(token, (mask = new Uint32Array(words)));
    mask[word] |= bit;
  });
  const acceptWord = size >>> 5;
  const acceptBit = 1 << (size & 31);
  let state = new Uint32Array(words);
  let next = new Uint32Array(words);

  /** A wildcard may match nothing: each wildcard state also stands for the state after it. */
  const close = (bits: Uint32Array) => {
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const from = bits[w] & anyWildcard[w];
      const shifted = (from << 1) | carry;
      carry = from >>> 31;
      bits[w] |= shifted;
    }
  };

  return (name) => {
    state.fill(0);
    state[0] = 1;
    close(state);
    for (let k = 0; k < name.length; k++) {
      const code = name.charCodeAt(k);
      const literal = literals.get(code);
      // "*" keeps matching on any character, "%" on any but the delimiter.
      const stay = code === DELIMITER ? star : anyWildcard;
      let carry = 0;
      let alive = 0;
      for (let w = 0; w < words; w++) {
        const advanced = literal ? state[w] & literal[w] : 0;
        const bits = ((advanced << 1) | carry | (state[w] & stay[w])) >>> 0;
        carry = advanced >>> 31;
        next[w] = bits;
        alive |= bits;
      }
      if (alive === 0) return false;
      close(next);
      [state, next] = [next, state];
    }
    return (state[acceptWord] & acceptBit) !== 0;
  };
}

/** Code units of the pattern, a run of wildcards made one: `*` if it holds a `*`, else `%`. */
function compactWildcards(pattern: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    const token = code === 0x2a ? STAR : code === 0x25 ? PERCENT : code;
    const last = tokens.length - 1;
    if (token < 0 && last >= 0 && tokens[last] < 0) {
      if (token === STAR) tokens[last] = STAR;
      continue;
    }
    tokens.push(token);
  }
  return tokens;
}
