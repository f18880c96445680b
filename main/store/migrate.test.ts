import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'movelog-db-')), 'movelog.db');
const KEY = randomBytes(32);

describe('store', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout, at the latest schema', () => {
    const path = file();
    const db = openDatabase(path, KEY);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    // Created readable by this user only (docs/architecture.md#encryption-at-rest).
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('applies migrations once, in order, and reopening changes nothing', () => {
    const path = file();
    openDatabase(path, KEY).close();
    const db = openDatabase(path, KEY);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a database written by a newer Movelog', () => {
    const path = file();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openDatabase(path, null)).toThrow(/newer Movelog/);
  });

  it('refuses another key, and a plain open, of an encrypted database with a message and the recovery path', () => {
    const path = file();
    openDatabase(path, KEY).close();
    expect(() => openDatabase(path, randomBytes(32))).toThrow(/does not open with the key in this folder's vault[\s\S]*movelog restore/);
    expect(() => openDatabase(path, null)).toThrow(/file is not a database/);
    expect(openDatabase(path, KEY).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('rolls back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    const failing = [
      { version: 1, name: 'ok', up: (d: Database.Database) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'broken',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });
});
