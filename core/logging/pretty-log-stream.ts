/** Pino's level numbers and the names a person reads. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Fields every line has, shown in their own places or not at all. */
const PLACED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** A value as `key=value`: bare when it is one word, else JSON-quoted, so the line stays one line and greppable. */
function field(key: string, value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`;
}

/** One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value ...`. */
export function prettyLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toISOString().slice(11, 23);
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !PLACED.has(key))
    .map(([key, value]) => field(key, value));
  return `${[time, level, String(entry.msg ?? '').replace(/\s*\n\s*/g, ' '), ...fields].join(' ')}\n`;
}

/** A pino destination that writes each line for people to `out`. */
export function prettyLogStream(out: NodeJS.WritableStream): { write(line: string): void } {
  return { write: (line) => void out.write(prettyLogLine(line)) };
}
