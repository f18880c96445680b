import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

/** The file beside `movelog.db` whose lock says a long-running process works on the folder. */
export const LOCK_FILE = 'movelog.lock';

/** Who holds a data folder's lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** What runs, e.g. "movelog sync". */
  readonly purpose: string;
  readonly since: number;
}

export class FolderLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `Another Movelog process is already running on ${dir}` +
        (holder ? `: "${holder.purpose}" (process ${holder.pid} on ${holder.host}, since ${new Date(holder.since).toISOString()})` : '') +
        '. Stop it first, or use another --data folder.',
    );
  }
}

export interface FolderLock {
  readonly holder: LockHolder;
  /** Lets the next process take the folder (the lock also ends with the process, however it ends). */
  release(): void;
}

/**
 * One long-running process per data folder (`movelog serve`, `movelog sync`): two would both run a
 * sync peer with the same device key, and hold sessions the other does not know about
 * (docs/architecture.md#runtime).
 *
 * The lock is SQLite's own file lock (POSIX advisory locks, which the kernel drops when the process
 * ends, even by a crash or SIGKILL, so a stale lock never needs clearing by hand): the holder keeps a
 * write transaction open on `movelog.lock` in rollback-journal mode, which still lets others read
 * who holds it. The holder's description is written, and committed, just before the lock is taken.
 */
export function lockDataFolder(dir: string, purpose: string, now: () => number = Date.now): FolderLock {
  // A short busy timeout: a process reading who holds the lock briefly blocks the holder's commit.
  const db = new Database(join(dir, LOCK_FILE), { timeout: 1_000 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, host TEXT, purpose TEXT, since INTEGER)');
    const holder: LockHolder = { pid: process.pid, host: hostname(), purpose, since: now() };
    const take = () => {
      try {
        db.exec('BEGIN IMMEDIATE');
        return true;
      } catch (error) {
        if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
        throw error;
      }
    };
    const refuse = () => {
      const row = db.prepare<[], LockHolder>('SELECT pid, host, purpose, since FROM holder WHERE id = 1').get();
      return new FolderLockedError(dir, row ?? null);
    };
    if (!take()) throw refuse();
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, host, purpose, since) VALUES (1, ?, ?, ?, ?)').run(
      holder.pid,
      holder.host,
      holder.purpose,
      holder.since,
    );
    db.exec('COMMIT');
    // Another process may have taken the lock between the commit and here: then it holds the folder.
    if (!take()) throw refuse();
    let released = false;
    return {
      holder,
      release() {
        if (released) return;
        released = true;
        db.exec('ROLLBACK');
        db.close();
      },
    };
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}
