import { createHash } from 'node:crypto';
import type { SourceRow, SourceTable, SourceValue } from './backup.ports.js';

/** A value as JSON: binary columns become `{"$b": base64}`; everything else is a string, number or null already. */
type EncodedValue = string | number | null | { $b: string };

/** One row as a line of `tables/<name>.ndjson`: a JSON array of its values in the manifest's column order. */
export function encodeRow(row: SourceRow): string {
  return JSON.stringify(row.map((value): EncodedValue => (Buffer.isBuffer(value) ? { $b: value.toString('base64') } : value)));
}

export function decodeRow(line: string): SourceRow {
  return (JSON.parse(line) as EncodedValue[]).map((value): SourceValue =>
    value !== null && typeof value === 'object' ? Buffer.from(value.$b, 'base64') : value,
  );
}

/** The positions of a table's primary-key columns among its columns. */
export function keyPositions(table: Pick<SourceTable, 'columns' | 'primaryKey'>): number[] {
  return table.primaryKey.map((column) => table.columns.indexOf(column));
}

/** A row's identity across backups: its primary-key values as JSON. */
export function rowKey(row: SourceRow, positions: readonly number[]): string {
  return JSON.stringify(
    positions.map((position) => {
      const value = row[position] ?? null;
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    }),
  );
}

/** A short digest of a row's encoded line: an incremental stores the row when it differs from the parent's. */
export function rowHash(line: string): string {
  return createHash('sha256').update(line).digest('base64').slice(0, 22);
}
