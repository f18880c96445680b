import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { JsonValue } from './crypto/index.js';
import { validateEntry } from './entry.js';
import { keystoreOf, registerKeystore } from './keystore.js';
import { applyEntry } from './reduce.js';
import { VIEW_TABLES } from './viewSchema.js';

/**
 * Re-derives every view from `source`'s entries in canonical order (height, then hash: a
 * topological order of the prev/deps graph) into `target` (the same database by default).
 */
export function rebuildViews(source: Db, target: Db = source): void {
  const keystore = keystoreOf(source);
  if (keystore && target !== source) registerKeystore(target, keystore);
  const run = () => {
    for (const table of VIEW_TABLES) target.prepare(`DELETE FROM ${table.name}`).run();
    // Keyset pages, not one open iterator: the reducers write through the same connection.
    const page = source.prepare<[number, string], { bytes: Buffer; hash: string; height: number }>(
      'SELECT bytes, hash, height FROM entries WHERE (height, hash) > (?, ?) ORDER BY height, hash LIMIT 2000',
    );
    let after: [number, string] = [0, ''];
    for (;;) {
      const rows = page.all(...after);
      if (rows.length === 0) break;
      for (const row of rows) {
        const entry = validateEntry(JSON.parse(row.bytes.toString('utf8')) as JsonValue);
        applyEntry(target, entry, { height: row.height, hash: row.hash });
        after = [row.height, row.hash];
      }
    }
  };
  if (target.inTransaction) run();
  else target.transaction(run).immediate();
}

/** SHA-256 over every view row in primary-key order: equal digests mean byte-identical views. */
export function viewDigest(db: Db): string {
  const hash = createHash('sha256');
  for (const table of VIEW_TABLES) {
    hash.update(`${table.name}\n`);
    for (const row of db.prepare(`SELECT * FROM ${table.name} ORDER BY ${table.key}`).iterate()) {
      hash.update(JSON.stringify(row));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}
