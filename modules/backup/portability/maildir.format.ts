// Maildir file names: `<seconds>.M<uid>P<pid>.<host>,S=<size>:2,<flags>` in `cur/`. The info letters are the standard
// ones (D draft, F flagged, R replied, S seen, T trashed); keywords get the letters a-z of Dovecot's
// `dovecot-keywords` file beside cur/, so Dovecot and other readers of that file see them too.

const SYSTEM_LETTERS: Record<string, string> = { '\\Draft': 'D', '\\Flagged': 'F', '\\Answered': 'R', '\\Seen': 'S', '\\Deleted': 'T' };
const LETTER_FLAGS: Record<string, string> = Object.fromEntries(Object.entries(SYSTEM_LETTERS).map(([flag, letter]) => [letter, flag]));
/** Dovecot gives keywords the 26 lower-case letters; more keywords than that cannot be named in a file name. */
export const MAX_KEYWORDS = 26;

export function maildirName(
  uid: number,
  internalDate: number,
  size: number,
  flags: readonly string[],
  keywords: readonly string[],
): string {
  const letters = [
    ...flags.map((flag) => SYSTEM_LETTERS[flag]).filter((letter): letter is string => letter !== undefined),
    ...flags
      .map((flag) => keywords.indexOf(flag))
      .filter((index) => index >= 0 && index < MAX_KEYWORDS)
      .map((index) => String.fromCharCode(97 + index)),
  ].sort();
  return `${Math.floor(internalDate / 1000)}.M${uid}P${process.pid}.mailhive,S=${size}:2,${letters.join('')}`;
}

/** The IMAP flags of a Maildir file name (keywords looked up in the folder's keyword list). */
export function maildirFlags(name: string, keywords: readonly string[]): string[] {
  const info = /:2,([A-Za-z]*)$/.exec(name)?.[1] ?? '';
  const flags: string[] = [];
  for (const letter of info) {
    if (LETTER_FLAGS[letter]) flags.push(LETTER_FLAGS[letter]);
    else if (letter >= 'a' && letter <= 'z' && keywords[letter.charCodeAt(0) - 97]) flags.push(keywords[letter.charCodeAt(0) - 97]!);
  }
  return flags;
}

/** The order of files as they were delivered: by the seconds and UID in their names. */
export function maildirOrder(a: string, b: string): number {
  const key = (name: string) => {
    const match = /^(\d+)\.M(\d+)/.exec(name);
    return match ? [Number(match[1]), Number(match[2])] : [Number(/^(\d+)/.exec(name)?.[1] ?? 0), 0];
  };
  const [a1, a2] = key(a);
  const [b1, b2] = key(b);
  return a1! - b1! || a2! - b2! || (a < b ? -1 : a > b ? 1 : 0);
}

/** `dovecot-keywords`: one `<index> <keyword>` per line. */
export function keywordsFile(keywords: readonly string[]): string {
  return keywords
    .slice(0, MAX_KEYWORDS)
    .map((keyword, index) => `${index} ${keyword}\n`)
    .join('');
}

export function parseKeywordsFile(text: string): string[] {
  const keywords: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+) (\S+)/.exec(line);
    if (match) keywords[Number(match[1])] = match[2]!;
  }
  return keywords;
}

/** The Maildir++ folder directory of an IMAP path (`Projects/2026` → `.Projects.2026`); INBOX is the root. */
export function maildirFolder(path: string): string {
  return path.toUpperCase() === 'INBOX' ? '' : `.${path.split('/').join('.')}`;
}

export function folderOfMaildir(directory: string): string {
  return directory === '' ? 'INBOX' : directory.slice(1).split('.').join('/');
}
