import { decodeWords } from '../../mime/decoded-text.js';

export interface ExtractedSubject {
  /** The base subject, lower-cased: the comparison of RFC 5256 is case-insensitive. */
  base: string;
  /** Whether extraction removed a reply or forward marker ("Re:", "Fwd:", "(fwd)", "[fwd: ...]"). */
  replyOrForward: boolean;
}

const SPACE = 0x20;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COLON = 0x3a;

/**
 * RFC 5256 §2.1 base subject extraction, shared by SORT SUBJECT and both THREAD algorithms. The subject comes
 * from any sender, so it is walked once with two positions: re-running patterns over the rest after each removed
 * blob made `[][][]...` of 40 KB take seconds.
 */
export function extractSubject(subject: string | null): ExtractedSubject {
  // Step 1: decoded, tabs and folding turned into spaces, runs of spaces made one.
  const text = decodeWords(subject ?? '').replace(/\s+/g, ' ');
  let start = 0;
  let end = text.length;
  let replyOrForward = false;
  for (;;) {
    // Step 2: subj-trailer ("(fwd)" or a space) removed from the end until none is left.
    for (;;) {
      if (end > start && text.charCodeAt(end - 1) === SPACE) end--;
      else if (end - start >= 5 && text.slice(end - 5, end).toLowerCase() === '(fwd)') {
        end -= 5;
        replyOrForward = true;
      } else break;
    }
    // Steps 3 to 5: subj-leader (a space, or blobs then "Re:"/"Fw:"/"Fwd:"), and a leading subj-blob when
    // something is left after it, removed until neither applies.
    for (;;) {
      if (start < end && text.charCodeAt(start) === SPACE) {
        start++;
        continue;
      }
      // The blobs here, each with the spaces after it: a subj-refwd may follow them all, never fewer
      // (it cannot start with "[").
      const blobEnds: number[] = [];
      for (let at = blobEnd(text, start, end); at > 0; at = blobEnd(text, at, end)) blobEnds.push(at);
      const runEnd = blobEnds[blobEnds.length - 1] ?? start;
      const refwd = refwdEnd(text, runEnd, end);
      if (refwd > 0) {
        start = refwd;
        replyOrForward = true;
        continue;
      }
      if (blobEnds.length === 0) break;
      // Step 4 removes blobs one by one while something is left after them: all of them, or all but the last.
      if (hasText(text, runEnd, end)) {
        start = runEnd;
        continue;
      }
      start = blobEnds.length > 1 ? blobEnds[blobEnds.length - 2] : start;
      break;
    }
    // Step 6: "[fwd: subject]" unwrapped, then everything again from step 2.
    if (end - start >= 6 && text.slice(start, start + 5).toLowerCase() === '[fwd:' && text.charCodeAt(end - 1) === CLOSE) {
      start += 5;
      end -= 1;
      replyOrForward = true;
      continue;
    }
    break;
  }
  return { base: text.slice(start, end).toLowerCase(), replyOrForward };
}

/** After a subj-blob (`"[" *BLOBCHAR "]" *WSP`) at `at`, or 0 when there is none. */
function blobEnd(text: string, at: number, end: number): number {
  if (at >= end || text.charCodeAt(at) !== OPEN) return 0;
  let i = at + 1;
  while (i < end && text.charCodeAt(i) !== OPEN && text.charCodeAt(i) !== CLOSE) i++;
  if (i >= end || text.charCodeAt(i) !== CLOSE) return 0;
  i++;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** After a subj-refwd (`("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`, any case) at `at`, or 0 when there is none. */
function refwdEnd(text: string, at: number, end: number): number {
  const head = text.slice(at, at + 3).toLowerCase();
  let i = head.startsWith('fwd') ? at + 3 : head.startsWith('re') || head.startsWith('fw') ? at + 2 : -1;
  if (i < 0 || i > end) return 0;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  i = blobEnd(text, i, end) || i;
  return i < end && text.charCodeAt(i) === COLON ? i + 1 : 0;
}

/** Whether anything but spaces lies in [from, end). */
function hasText(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) !== SPACE) return true;
  return false;
}

/** The RFC 5256 §2.1 base subject, lower-cased for comparison. */
export function baseSubject(subject: string | null): string {
  return extractSubject(subject).base;
}
