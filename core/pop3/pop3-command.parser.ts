/** A command line split into its keyword and arguments. Pure: no I/O, no state. */
export interface ParsedCommand {
  /** Upper-cased keyword. */
  verb: string;
  /** Arguments split on spaces. */
  words: string[];
  /** Everything after the first space, untouched (PASS allows spaces in the password). */
  rest: string;
}

// RFC 2449 §3: keywords are printable ASCII; RFC 1939 ones are 3-4 letters, extensions may be longer.
const VERB = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;

/** Parses `RETR 1`, `TOP 3 10`, `PASS my secret`; null for an empty or malformed line. */
export function parseCommandLine(line: string): ParsedCommand | null {
  const space = line.indexOf(' ');
  const verb = space === -1 ? line : line.slice(0, space);
  if (!VERB.test(verb)) return null;
  const rest = space === -1 ? '' : line.slice(space + 1);
  return { verb: verb.toUpperCase(), words: rest.split(' ').filter((word) => word !== ''), rest };
}

/** A message number or line count: decimal digits only, at most 10 of them. */
export function parseNumber(text: string): number | null {
  return /^\d{1,10}$/.test(text) ? Number(text) : null;
}
