import Database from 'better-sqlite3';

/**
 * Opens a data folder's database file directly, read-write, as an attacker with a copy of the
 * folder would (integration tests that tamper with it). The one place those tests open a file,
 * so the keyed open lives here.
 */
export function openRaw(file: string): Database.Database {
  return new Database(file);
}
