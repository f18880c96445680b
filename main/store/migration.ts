import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * One schema step. Its own file so that `migrate.ts` and the migrations both import it without
 * importing each other. A released migration is frozen: its SQL is literal text that never
 * changes (docs/architecture.md#migrations-and-view-schema).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Runs inside a transaction together with the bump of user_version. */
  readonly up: (db: Database.Database) => void;
}
