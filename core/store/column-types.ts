import type { ValueTransformer } from 'typeorm';

/** MySQL returns BIGINT as a string; every counter and timestamp here fits in a JS number. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** JSON kept in a TEXT column: portable across SQLite and MySQL, parsed on read. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : JSON.parse(value)),
};

export const booleanColumn: ValueTransformer = {
  to: (value: boolean | undefined) => value,
  from: (value: number | boolean | null) => (value === null ? null : Boolean(value)),
};

/** A short list of words kept as `a,b,c` in a VARCHAR column. */
export const commaList: ValueTransformer = {
  to: (value: string[] | undefined) => (value === undefined ? undefined : value.join(',')),
  // TypeORM also passes values it already holds (after an insert) through `from`.
  from: (value: string | string[] | null) => (Array.isArray(value) ? value : value === null || value === '' ? [] : value.split(',')),
};
