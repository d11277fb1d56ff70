/**
 * The escape character of every LIKE the search language builds. Not `\`: MariaDB also reads `\` as an escape in
 * string literals (unless NO_BACKSLASH_ESCAPES), SQLite does not, so `!` means the same on both databases.
 */
export const LIKE_ESCAPE = '!';

/** The LIKE wildcards and the escape character itself; `\` is listed too, so it is matched only as itself. */
const SPECIAL = new Set(['%', '_', LIKE_ESCAPE, '\\']);

/**
 * A `LIKE ... ESCAPE '!'` pattern matching values that contain `value` literally. A user's `%` and `_` never become
 * wildcards, so the only pattern ever run is `%literal%`: one substring search, never a backtracking match of
 * many wildcards (`%a%a%a...`).
 */
export function likeContains(value: string): string {
  let escaped = '';
  for (const char of value) escaped += SPECIAL.has(char) ? `${LIKE_ESCAPE}${char}` : char;
  return `%${escaped}%`;
}
