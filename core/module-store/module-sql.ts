// Small helpers for the raw SQL a feature module writes against its own tables (through ModuleStore).
import type { EntityManager } from 'typeorm';

export type SqlValue = string | number | null;

/** Rows of a SELECT; both drivers return an array of plain objects from `query`. */
export async function rows<T>(manager: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  return (await manager.query(sql, [...params])) as T[];
}

export async function one<T>(manager: EntityManager, sql: string, params: readonly SqlValue[] = []): Promise<T | null> {
  return (await rows<T>(manager, sql, params))[0] ?? null;
}

/** `?, ?, ?` for an IN list of `count` values (never empty: callers skip the query instead). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** MySQL returns BIGINT and SQLite/MySQL booleans as numbers or strings. */
export const num = (value: unknown): number => Number(value);
export const bool = (value: unknown): boolean => Number(value) === 1 || value === true;
