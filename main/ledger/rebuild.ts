import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { recreateViews, storedViewSchemaVersion, VIEW_SCHEMA_VERSION, VIEW_TABLES } from '../views/index.js';
import type { ViewTable } from '../views/support.js';
import type { JsonValue } from './crypto/index.js';
import { validateEntry } from './entry.js';
import { applyEntry } from './reduce.js';
import type { PatientKeys } from './seal.js';

/**
 * Re-derives every view from `source`'s entries in canonical order (height, then hash: a
 * topological order of the prev/deps graph) into `target` (the same database by default), opening
 * sealed bodies with `keystore` (null: patients read as unreadable).
 */
export function rebuildViews(source: Db, keystore: PatientKeys | null, target: Db = source): void {
  const ctx = { db: target, keystore };
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
        applyEntry(ctx, entry, { height: row.height, hash: row.hash });
        after = [row.height, row.hash];
      }
    }
  };
  if (target.inTransaction) run();
  else target.transaction(run).immediate();
}

/**
 * Re-derives one patient's rows of every view from that patient's entries alone
 * (docs/architecture.md#revocation-that-holds): when the patient's key arrives after entries it
 * opens were stored (they were reduced unreadable), or is destroyed (consent ended: the plaintext
 * must leave every table). Reducers of patient streams read only their own stream, so re-applying
 * the patient's streams in canonical order gives the rows a full rebuild gives.
 */
export function rebuildPatient(db: Db, keystore: PatientKeys | null, patientId: string): void {
  if (!/^[0-9a-f]{32}$/.test(patientId)) throw new RangeError('not a patient id');
  const ctx = { db, keystore };
  const run = () => {
    // Dependent rows first (addenda name notes): tables in reverse order.
    for (const table of [...VIEW_TABLES].reverse()) if (table.patient) db.prepare(`DELETE FROM ${table.name} WHERE ${table.patient}`).run(patientId);
    const rows = db
      .prepare<[string, string], { bytes: Buffer; hash: string; height: number }>(
        'SELECT bytes, hash, height FROM entries WHERE stream >= ? AND stream < ? ORDER BY height, hash',
      )
      .all(`p:${patientId}/`, `p:${patientId}0`);
    for (const row of rows)
      applyEntry(ctx, validateEntry(JSON.parse(row.bytes.toString('utf8')) as JsonValue), { height: row.height, hash: row.hash });
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}

/**
 * Brings a database's views to the current view schema before it is used (docs/architecture.md#views):
 * when its stored view-schema version is not VIEW_SCHEMA_VERSION (or was never recorded), every view
 * table is dropped, recreated from the current DDL and rebuilt from the entries, in one transaction.
 * Returns whether it rebuilt. Every opener of a data directory calls it once the keystore is at hand.
 */
export function openViews(db: Db, keystore: PatientKeys | null): boolean {
  if (storedViewSchemaVersion(db) === VIEW_SCHEMA_VERSION) return false;
  return db
    .transaction(() => {
      // Checked again under the write lock: another process may have rebuilt meanwhile.
      if (storedViewSchemaVersion(db) === VIEW_SCHEMA_VERSION) return false;
      recreateViews(db);
      rebuildViews(db, keystore);
      return true;
    })
    .immediate();
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

/**
 * SHA-256 over one view table's rows in primary-key order, of every column or of `columns` only
 * (the clear columns, when sealed ones cannot be re-derived: docs/architecture.md#verify-without-the-keystore).
 */
export function viewTableDigest(db: Db, table: ViewTable, columns: readonly string[] | null = null): string {
  const hash = createHash('sha256');
  const select = columns === null ? '*' : columns.map((c) => `"${c}"`).join(', ');
  for (const row of db.prepare(`SELECT ${select} FROM ${table.name} ORDER BY ${table.key}`).iterate()) {
    hash.update(JSON.stringify(row));
    hash.update('\n');
  }
  return hash.digest('hex');
}
