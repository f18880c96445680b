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

/** A database file some of whose pages cannot be read back as written (docs/architecture.md#faults). */
export class DamagedDatabaseError extends StoreError {
  /** Mapped like SQLite's own damage reports (main/store/faults.ts). */
  readonly code = 'SQLITE_CORRUPT';
  constructor(
    readonly findings: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`The database file is damaged: ${findings.join('; ')}`, options);
    this.name = 'DamagedDatabaseError';
  }
}

/**
 * Reads every page of a closed or running database once (`PRAGMA quick_check`: each b-tree's
 * structure, every page, and for an encrypted database each page's authentication) and throws
 * DamagedDatabaseError naming what it found. `movelog verify` runs it first (the ledger checks
 * read the entries and views, not every index page), and so does the one writer of a data folder
 * (the app, `serve`, `sync`) before it opens it (docs/architecture.md#faults).
 */
export function checkPages(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const findings = (db.pragma('quick_check(10)') as { quick_check: string }[]).map((row) => row.quick_check.replace(/\s*\n\s*/g, ' ').trim());
    if (findings.length !== 1 || findings[0] !== 'ok') throw new DamagedDatabaseError(findings);
  } catch (error) {
    if (error instanceof DamagedDatabaseError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')))
      throw new DamagedDatabaseError([(error as Error).message], { cause: error });
    throw error;
  } finally {
    db.close();
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
