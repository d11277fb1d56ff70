/**
 * The error-level lines (pino levels 50 and 60) a server logged, counted by message: not a finding by themselves
 * (a client's mistake may be logged as an error), but where a fuzz run's report points a reader first.
 */
export function loggedErrors(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: unknown; msg?: unknown };
    try {
      entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    } catch {
      continue;
    }
    if (typeof entry.level !== 'number' || entry.level < 50) continue;
    const message = String(entry.msg ?? '');
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return counts;
}
