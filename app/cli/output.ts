/**
 * How list commands print: an aligned table with a header for people, or with `--json` one JSON array for scripts.
 * A table never ends a line with padding, so `grep`/`awk` on it stay simple.
 */
export interface Listing<T> {
  columns: readonly { header: string; value: (row: T) => string }[];
  /** The row as `--json` prints it: named fields, sizes in bytes, times in ISO 8601. */
  json: (row: T) => Record<string, unknown>;
}

export function printListing<T>(rows: readonly T[], listing: Listing<T>, json: boolean, out: (line: string) => void): void {
  if (json) {
    out(JSON.stringify(rows.map(listing.json), null, 2));
    return;
  }
  if (rows.length === 0) return;
  const cells = [listing.columns.map((column) => column.header), ...rows.map((row) => listing.columns.map((column) => column.value(row)))];
  const widths = listing.columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  for (const line of cells)
    out(
      line
        .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index]!)))
        .join('  ')
        .trimEnd(),
    );
}

/** `1.5M`, `512B`, `0B`: a size as people read it, one decimal below ten units. */
export function humanSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit > 0 && value < 10 && !Number.isInteger(value) ? 1 : 0;
  return `${value.toFixed(digits)}${units[unit]}`;
}
