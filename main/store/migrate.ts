import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

export type { Migration } from './migration.js';

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction,
 * in order. A database newer than this build is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`This data was written by a newer Movelog (schema ${current}; this build knows up to ${latest}). Update Movelog to open it.`);
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}, expected ${i + 1}.`);
  });
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return latest;
}
