import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

/**
 * The one module that owns the SQLite connection. Every other part of main/ goes through the
 * handle it returns, so the driver can be swapped for the SQLCipher drop-in
 * (better-sqlite3-multiple-ciphers) for encryption at rest without touching callers.
 */
export type Db = Database.Database;

export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Opens (creating if needed) the database file, sets and then checks the pragmas the ledger
 * relies on, and applies pending migrations. Throws StoreError when a pragma does not hold.
 */
export function openDatabase(file: string): Db {
  if (typeof file !== 'string' || file.length === 0) throw new TypeError('database file must be a non-empty string');
  let db: Db;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new StoreError(`Cannot open the database at ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Freed pages are zeroed: a patient's plaintext removed from the views (consent ended,
    // docs/architecture.md#revocation-that-holds) does not linger in the file's free pages.
    db.pragma('secure_delete = ON');
    assertPragmas(db);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Durability and integrity settings every write path assumes (docs/architecture.md#store). */
export function assertPragmas(db: Db): void {
  const checks: [string, unknown][] = [
    ['journal_mode', 'wal'],
    ['synchronous', 2],
    ['foreign_keys', 1],
    ['busy_timeout', 5000],
    ['secure_delete', 1],
  ];
  for (const [name, expected] of checks) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expected) {
      throw new StoreError(`SQLite pragma ${name} is ${String(actual)}, expected ${String(expected)}.`);
    }
  }
}
