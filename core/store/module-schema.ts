/**
 * What a feature module adds to the database: its own entities and migrations. Modules list theirs in a
 * `<name>.schema.ts` beside their module file; the composition root hands every known module's schema to the store, so
 * a module's tables exist whether or not MAILHIVE_MODULES loads it (switching it on later needs no migration run, and a
 * backup holds them all). Migration class names end in a timestamp, which orders them among core's.
 */
export interface ModuleSchema {
  /** Entity classes, as TypeORM takes them. */
  entities: Function[];
  /** Migration classes, as TypeORM takes them. */
  migrations: Function[];
  /** Tables that record this installation's own work (job history), which backups leave out and restores never fill. */
  transientTables?: readonly string[];
}

/** The tables of the given module schemas that backups leave out. */
export function transientTablesOf(schemas: readonly ModuleSchema[]): string[] {
  return schemas.flatMap((schema) => schema.transientTables ?? []);
}
