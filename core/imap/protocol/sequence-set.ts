/** One range of a sequence set; `null` stands for "*" (the largest number in use). */
export interface SequenceRange {
  from: number | null;
  to: number | null;
}

/** A parsed sequence set (RFC 3501 §9 sequence-set), or `$` for the saved search result (RFC 5182). */
export type SequenceSet = { kind: 'ranges'; ranges: SequenceRange[] } | { kind: 'saved' };

const MAX_NUMBER = 0xffffffff;

/** Parses `1:*,3,5:7` or `$`; null when the text is not a valid sequence set. */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === '$') return { kind: 'saved' };
  if (text === '' || text.length > 100_000) return null;
  const ranges: SequenceRange[] = [];
  for (const item of text.split(',')) {
    const bounds = item.split(':');
    if (bounds.length > 2) return null;
    const parsed = bounds.map(parseNumber);
    if (parsed.some((value) => value === undefined)) return null;
    const [from, to] = parsed as (number | null)[];
    ranges.push({ from, to: bounds.length === 2 ? to : from });
  }
  return { kind: 'ranges', ranges };
}

/** A number of a sequence set: nz-number or "*" (null); undefined when invalid. */
function parseNumber(text: string): number | null | undefined {
  if (text === '*') return null;
  if (!/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= MAX_NUMBER ? value : undefined;
}

/**
 * The members of `set` among `existing` (sorted ascending): sequence numbers 1..n or the UIDs of the mailbox.
 * "*" is the largest existing value; a range may be given in either order (RFC 3501 §9: 2:4 = 4:2).
 */
export function resolveSequenceSet(ranges: readonly SequenceRange[], existing: readonly number[]): number[] {
  if (existing.length === 0) return [];
  const largest = existing[existing.length - 1];
  const intervals = ranges
    .map(({ from, to }) => {
      const a = from ?? largest;
      const b = to ?? largest;
      return a <= b ? [a, b] : [b, a];
    })
    .sort((x, y) => x[0] - y[0]);
  // Both lists are sorted, so one pass suffices even for thousands of ranges.
  const result: number[] = [];
  let k = 0;
  for (const value of existing) {
    while (k < intervals.length && intervals[k][1] < value) k++;
    if (k === intervals.length) break;
    let j = k;
    while (j < intervals.length && intervals[j][0] <= value) {
      if (value <= intervals[j][1]) {
        result.push(value);
        break;
      }
      j++;
    }
  }
  return result;
}

/**
 * The sequence numbers 1..count named by `ranges`, ascending and without repeats: the same as resolveSequenceSet
 * over [1..count] without building that list (FETCH 1:* on a 100,000-message mailbox).
 */
export function resolveSequenceNumbers(ranges: readonly SequenceRange[], count: number): number[] {
  if (count === 0) return [];
  const intervals = ranges
    .map(({ from, to }) => {
      const a = from ?? count;
      const b = to ?? count;
      return a <= b ? [a, Math.min(b, count)] : [b, Math.min(a, count)];
    })
    .sort((x, y) => x[0] - y[0]);
  const result: number[] = [];
  let next = 1;
  for (const [from, to] of intervals) {
    for (let seq = Math.max(from, next); seq <= to; seq++) result.push(seq);
    next = Math.max(next, to + 1);
  }
  return result;
}

/**
 * A membership test for `ranges` with "*" standing for `largest`: the ranges sorted and merged once, then a binary
 * search per value, so testing every message of a mailbox against a set of 20,000 ranges is not 20,000 × messages.
 */
export function sequenceMembership(ranges: readonly SequenceRange[], largest: number): (value: number) => boolean {
  const sorted = ranges
    .map(({ from, to }) => {
      const a = from ?? largest;
      const b = to ?? largest;
      return a <= b ? [a, b] : [b, a];
    })
    .sort((x, y) => x[0] - y[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [from, to] of sorted) {
    const last = ends.length - 1;
    if (last >= 0 && from <= ends[last] + 1) ends[last] = Math.max(ends[last], to);
    else {
      starts.push(from);
      ends.push(to);
    }
  }
  return (value) => {
    let low = 0;
    let high = starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (value < starts[middle]) high = middle - 1;
      else if (value > ends[middle]) low = middle + 1;
      else return true;
    }
    return false;
  };
}

/** Writes numbers (any order) as a compact sequence set: `1:3,7,9:10`. */
export function formatSequenceSet(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] <= sorted[j] + 1) j++;
    parts.push(sorted[i] === sorted[j] ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
