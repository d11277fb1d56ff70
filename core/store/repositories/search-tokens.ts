/**
 * Tokens of the search index (search_tokens): what a message's search text is indexed as, and which index ranges a
 * searched value must hit. Searches are case-insensitive substrings (RFC 3501 §6.4.4), so the index stores
 * substrings, not words:
 * - a run of letters and digits (a word of a spaced script) gives, at every position but the last, the substring
 *   of at most WORD_TOKEN_CHARS characters starting there ("report" → "report", "eport", "port", "ort", "rt");
 * - a run of Han, Hiragana or Katakana (written without spaces) gives, at every position, the character and the
 *   next one: bigrams, and the run's last character alone ("北京开会" → "北京", "京开", "开会", "会").
 * A value occurring in a text then begins one of its tokens wherever it occurs, so the rows whose token starts
 * with the value's first WORD_TOKEN_CHARS (or 2) characters hold every message that can match: the index narrows,
 * and the caller's substring test decides. Text and values are folded alike (compatibility decomposition, marks
 * dropped, lower case), which finds at least what either database's LIKE and JavaScript's toLowerCase find.
 */

/** Longest token cut from a word run; a longer searched word is looked up by its first this-many characters. */
export const WORD_TOKEN_CHARS = 16;
/** Characters per token of a Han/Kana run: bigrams. */
export const IDEOGRAPH_TOKEN_CHARS = 2;
/** Distinct tokens one message adds at most (a size the sender controls); beyond it the message is INCOMPLETE. */
export const MAX_TOKENS_PER_MESSAGE = 4000;
/** Index ranges one searched value is narrowed by at most (they intersect). */
const MAX_KEYS_PER_VALUE = 6;

/** Marks a message whose tokens were cut at MAX_TOKENS_PER_MESSAGE: a candidate of every search. */
export const INCOMPLETE_TOKEN = '#incomplete';
/** Marks a message stored before the index existed and not yet indexed by the backfill: a candidate of every search. */
export const PENDING_TOKEN = '#pending';
/** Tokens that make a message a candidate whatever is searched (real tokens never start with `#`). */
export const ALWAYS_CANDIDATE_TOKENS = [INCOMPLETE_TOKEN, PENDING_TOKEN] as const;

/** Runs of ideographs and kana, and runs of the other letters and digits. */
const LETTER_RUNS = /[\p{L}\p{N}]+/gu;
const SCRIPT_RUNS = /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+)|([^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+)/gu;
const PLAIN = /^[a-z0-9]+$/;
const MARKS = /\p{M}+/gu;
/** Text without a byte above 0x7F, the common case, takes the quick way: nothing to decompose, runs are [a-z0-9]. */
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_RUNS = /[a-z0-9]+/g;

/**
 * The folded form both sides of the index use: lower case first (`İ` lowers to `i` and a mark), then compatibility
 * decomposition without marks; final sigma as sigma, because lowering chooses between them by context.
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  return ASCII.test(lower) ? lower : lower.normalize('NFKD').replace(MARKS, '').replaceAll('ς', 'σ');
}

interface Run {
  /** The run's characters: the string itself when it is ASCII (one unit per character), else code points. */
  chars: string | string[];
  ideographic: boolean;
}

function piece(chars: string | string[], start: number, end: number): string {
  return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
}

function* runs(text: string): Generator<Run> {
  const folded = foldText(text);
  if (ASCII.test(folded)) {
    for (const match of folded.matchAll(ASCII_RUNS)) yield { chars: match[0], ideographic: false };
    return;
  }
  for (const [letters] of folded.matchAll(LETTER_RUNS)) {
    if (PLAIN.test(letters)) {
      yield { chars: letters, ideographic: false };
      continue;
    }
    for (const match of letters.matchAll(SCRIPT_RUNS)) {
      yield match[1] !== undefined
        ? { chars: Array.from(match[1]), ideographic: true }
        : { chars: Array.from(match[2]), ideographic: false };
    }
  }
}

/** The distinct tokens of a search text; INCOMPLETE_TOKEN is among them when the text had more. */
export function messageTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(text)) {
    const { chars } = run;
    // A word run's one-character suffixes are not kept: a one-letter value is not narrowed by the index.
    const last = run.ideographic ? chars.length : chars.length - 1;
    const width = run.ideographic ? IDEOGRAPH_TOKEN_CHARS : WORD_TOKEN_CHARS;
    for (let i = 0; i < last; i++) {
      tokens.add(piece(chars, i, i + width));
      if (tokens.size >= MAX_TOKENS_PER_MESSAGE) {
        tokens.add(INCOMPLETE_TOKEN);
        return [...tokens];
      }
    }
  }
  return [...tokens];
}

/**
 * The token prefixes a message containing `value` must have a token starting with, each of them; empty when the
 * index cannot narrow the search (no run of two letters or one ideograph).
 */
export function valueKeys(value: string): string[] {
  const keys = new Set<string>();
  for (const run of runs(value)) {
    const { chars } = run;
    if (run.ideographic) {
      // Every bigram of the run is in the text: each narrows.
      if (chars.length === 1) keys.add(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i] + chars[i + 1]);
    } else if (chars.length >= 2) {
      keys.add(piece(chars, 0, WORD_TOKEN_CHARS));
    }
  }
  // The longest keys are the most selective.
  return [...keys].sort((a, b) => b.length - a.length).slice(0, MAX_KEYS_PER_VALUE);
}

/** The upper bound of the range of tokens starting with `prefix` (tokens compare by code point on both databases). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
