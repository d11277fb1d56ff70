import { decodeWords } from '../../mime/decoded-text.js';

export interface ExtractedSubject {
  /** The base subject, lower-cased: the comparison of RFC 5256 is case-insensitive. */
  base: string;
  /** Whether extraction removed a reply or forward marker ("Re:", "Fwd:", "(fwd)", "[fwd: ...]"). */
  replyOrForward: boolean;
}

// RFC 5256 §5 ABNF: subj-blob = "[" *BLOBCHAR "]" *WSP; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":".
const BLOB = String.raw`\[[^\[\]]*\] *`;
const REFWD = new RegExp(String.raw`^(?:${BLOB})*(?:re|fwd?) *(?:${BLOB})?:`, 'i');
const LEADING_BLOB = new RegExp(`^${BLOB}`);
const TRAILER = / $|\(fwd\)$/i;

/** RFC 5256 §2.1 base subject extraction, shared by SORT SUBJECT and both THREAD algorithms. */
export function extractSubject(subject: string | null): ExtractedSubject {
  // Step 1: decoded, tabs and folding turned into spaces, runs of spaces made one.
  let text = decodeWords(subject ?? '').replace(/\s+/g, ' ');
  let replyOrForward = false;
  for (;;) {
    // Step 2: subj-trailer ("(fwd)" or a space) removed from the end until none is left.
    for (let match = TRAILER.exec(text); match; match = TRAILER.exec(text)) {
      if (match[0] !== ' ') replyOrForward = true;
      text = text.slice(0, text.length - match[0].length);
    }
    // Steps 3 to 5: subj-leader (a space, or blobs then "Re:"/"Fw:"/"Fwd:"), and a leading subj-blob
    // when something is left after it, removed until neither applies.
    for (let changed = true; changed;) {
      changed = false;
      if (text.startsWith(' ')) {
        text = text.slice(1);
        changed = true;
        continue;
      }
      const refwd = REFWD.exec(text);
      if (refwd) {
        text = text.slice(refwd[0].length);
        replyOrForward = true;
        changed = true;
        continue;
      }
      const blob = LEADING_BLOB.exec(text);
      if (blob && text.slice(blob[0].length).trim() !== '') {
        text = text.slice(blob[0].length);
        changed = true;
      }
    }
    // Step 6: "[fwd: subject]" unwrapped, then everything again from step 2.
    if (/^\[fwd:/i.test(text) && text.endsWith(']')) {
      text = text.slice(5, -1);
      replyOrForward = true;
      continue;
    }
    break;
  }
  return { base: text.toLowerCase(), replyOrForward };
}

/** The RFC 5256 §2.1 base subject, lower-cased for comparison. */
export function baseSubject(subject: string | null): string {
  return extractSubject(subject).base;
}
