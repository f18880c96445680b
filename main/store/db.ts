import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from './migrate.js';

/**
 * The one module that owns the SQLite connection: SQLite3 Multiple Ciphers (the better-sqlite3
 * drop-in), with every page of the database and its WAL encrypted in the SQLCipher 4 scheme
 * (AES-256-CBC, HMAC-SHA512 per page) under a raw 32-byte key from the vault
 * (docs/architecture.md#encryption-at-rest). Every other part of main/ goes through the handle it returns.
 */
export type Db = Database.Database;

export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The first 16 bytes of an unencrypted SQLite file (an encrypted one starts with its random salt). */
const PLAIN_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** Whether `file` is an unencrypted SQLite database (a data folder of a build before encryption at rest). */
export function isPlainDatabase(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.equals(PLAIN_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
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
export function checkPages(file: string, key: Buffer | null): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (key) applyKey(db, key, file);
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
 * Rolls back an encryption in place that a crash interrupted (docs/architecture.md#encryption-at-rest).
 * A data folder's database is in WAL mode; only `encryptInPlace` (in main/store/dataFolder.ts)
 * runs it with a rollback journal, and that journal holds the pages as they were, unencrypted. A
 * keyed connection would read them as encrypted and find "not a database", so a hot journal is
 * played back by a connection without a key first, which leaves the plain database it started from.
 */
export function rollBackInterruptedEncryption(file: string): void {
  const journal = `${file}-journal`;
  if (!existsSync(journal) || statSync(journal).size === 0) return;
  const db = new Database(file);
  try {
    // The first read takes a shared lock, and SQLite plays a hot journal back before it reads.
    db.pragma('schema_version', { simple: true });
  } finally {
    db.close();
  }
}

/**
 * Sets the SQLCipher key on a connection just opened, and checks that it opens the file: a wrong
 * key, or a damaged first page, fails here with a clear message instead of on a later read.
 */
export function applyKey(db: Db, key: Buffer, file: string): void {
  if (key.length !== 32) throw new RangeError('database key must be 32 bytes');
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    throw new StoreError(damagedMessage(file, cause), { cause });
  }
}

/** What SQLite's "not a database" / "malformed" errors mean for a Movelog folder, in words. */
export function damagedMessage(file: string, cause: unknown): string {
  const code = (cause as { code?: string }).code ?? '';
  const what =
    code === 'SQLITE_NOTADB'
      ? "does not open with the key in this folder's vault: the vault belongs to another data folder, or the database is damaged"
      : code.startsWith('SQLITE_CORRUPT')
        ? 'is damaged (SQLite reports a malformed page)'
        : `cannot be read (${(cause as Error).message})`;
  return `The database ${file} ${what}. Nothing was changed. Restore the folder from a backup ("movelog restore"), or set this computer up again as a new device and let it sync back from the clinic's other computers.`;
}

/**
 * Opens (creating if needed) the database file with its key (null: unencrypted, for scratch
 * databases in tests and tools only), sets and then checks the pragmas the ledger relies on, and
 * applies pending migrations. A new file is created readable by this user only (0600; SQLite
 * gives its WAL and shared-memory files the same mode). Throws StoreError when a pragma does not hold.
 */
export function openDatabase(file: string, key: Buffer | null): Db {
  if (typeof file !== 'string' || file.length === 0) throw new TypeError('database file must be a non-empty string');
  let db: Db;
  try {
    if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600));
    db = new Database(file);
  } catch (cause) {
    throw new StoreError(`Cannot open the database at ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    if (key) applyKey(db, key, file);
    // Sorts and temporary tables stay in memory: SQLite's temporary files are not encrypted.
    db.pragma('temp_store = MEMORY');
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
    ['temp_store', 2],
  ];
  for (const [name, expected] of checks) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expected) {
      throw new StoreError(`SQLite pragma ${name} is ${String(actual)}, expected ${String(expected)}.`);
    }
  }
}

/**
 * Opens an existing database as it is — no pragmas of the ledger's, no migrations — keyed when
 * `key` is given (null: an unencrypted file), with sorts kept in memory. For reading or copying a
 * database whole: `movelog verify` (read-only), backups and restores.
 */
export function openExistingDatabase(file: string, key: Buffer | null, options: { readonly readonly?: boolean; readonly timeout?: number } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true, timeout: options.timeout ?? 5_000 });
  try {
    if (key) applyKey(db, key, file);
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
