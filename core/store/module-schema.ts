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
}
