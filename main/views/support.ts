import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';

/**
 * The DDL of a group of view tables, with every table's primary key: `viewDigest` reads rows in
 * that fixed order (docs/architecture.md#views).
 */
export interface ViewSet {
  readonly sql: string;
  readonly tables: readonly ViewTable[];
}

export interface ViewTable {
  readonly name: string;
  /** Primary-key column(s): the order `viewDigest` reads rows in. */
  readonly key: string;
  /**
   * For a table derived from patient streams: the condition (one `?`, the patient id) that selects
   * one patient's rows, so that patient alone can be re-derived (`rebuildPatient`, when their key
   * arrives or is destroyed). A test checks that every table a patient's entries write declares it.
   */
  readonly patient?: string;
  /**
   * What of this table comes from opening patients' sealed bodies, so cannot be re-derived without
   * the keystore (docs/architecture.md#verify-without-the-keystore): `'rows'` when a row exists only
   * where the body could be opened, or the columns that hold what was opened (null without the
   * key). A table without it is derived from clear fields only and is compared by `movelog verify`
   * even without the keystore.
   */
  readonly sealed?: 'rows' | readonly string[];
}

/** Where an entry sits in the canonical order: (height, hash). */
export interface OrderKey {
  readonly height: number;
  readonly hash: string;
}

type SqlValue = string | number | null;

/**
 * Writes `row` into a view table whose rows are last-writer-wins registers: inserted if absent,
 * otherwise overwritten only when this entry's (height, hash) is greater than the one that wrote
 * the row (`v_height`, `v_hash`), so concurrent entries give the same row in any order.
 * `key` is the primary-key column(s); columns in `keep` are set on insert and never overwritten.
 * Table and column names are this folder's constants, never input.
 */
export function upsertLatest(
  db: Db,
  table: string,
  key: string,
  row: Readonly<Record<string, SqlValue>>,
  at: OrderKey,
  keep: readonly string[] = [],
): void {
  const columns = Object.keys(row);
  const updated = columns.filter((c) => c !== key && !keep.includes(c));
  const sql = `INSERT INTO ${table} (${columns.join(', ')}, v_height, v_hash) VALUES (${columns.map((c) => `@${c}`).join(', ')}, @v_height, @v_hash)
    ON CONFLICT (${key}) DO UPDATE SET ${[...updated, 'v_height', 'v_hash'].map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE (excluded.v_height, excluded.v_hash) > (${table}.v_height, ${table}.v_hash)`;
  statement(db, sql).run({ ...row, v_height: at.height, v_hash: at.hash });
}

/** 1/0 as SQLite stores booleans. */
export const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
