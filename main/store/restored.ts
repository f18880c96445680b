import type { Db } from './db.js';
import { statement } from './statements.js';

/**
 * What `movelog restore` leaves in a data folder (docs/architecture.md#backups): one record per
 * restore this folder's history went through, newest last, kept in `sync_settings` under
 * `restored` (a key/value table every database has, so no migration). While the newest restore
 * has not resumed, this device's own appends are held: the device key in the folder may have
 * signed entries after the backup that other computers hold, and signing again at those places
 * would be equivocation.
 */
export interface RestoreRecord {
  /** When the restore ran (this computer's clock). */
  readonly at: number;
  /** When the backup was written. */
  readonly backupAt: number;
  /** Entries (local positions) the backup held: the part of the log the restore kept as it was. */
  readonly size: number;
  /** The local chain head after them. */
  readonly chain: string;
  /**
   * The log's size when this device resumed appending (caught up with its clinic, or `--no-peers`
   * at once); null while it waits. Entries at positions after `size` up to this one were received
   * from other computers, none appended here.
   */
  readonly resumed: number | null;
  /** Restored with `--no-peers`: appends started at once, entries written after the backup that never reached another computer are lost. */
  readonly noPeers: boolean;
}

const KEY = 'restored';

/** Every restore of this folder's history, oldest first (empty: never restored). */
export function restoreRecords(db: Db): RestoreRecord[] {
  let row: { value: string } | undefined;
  try {
    row = statement<[string], { value: string }>(db, 'SELECT value FROM sync_settings WHERE key = ?').get(KEY);
  } catch (error) {
    // A database older than the sync tables (verified read-only, unmigrated) was never restored.
    if (/no such table/.test((error as Error).message)) return [];
    throw error;
  }
  if (!row) return [];
  try {
    const value = JSON.parse(row.value) as unknown;
    return Array.isArray(value) ? (value as RestoreRecord[]) : [];
  } catch {
    return [];
  }
}

function writeRecords(db: Db, records: readonly RestoreRecord[]): void {
  db.prepare('INSERT INTO sync_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(records),
  );
}

/** Records a restore (written into the restored database before it gets its final name). */
export function recordRestore(db: Db, record: Omit<RestoreRecord, 'resumed'>): RestoreRecord {
  const full: RestoreRecord = { ...record, resumed: record.noPeers ? record.size : null };
  writeRecords(db, [...restoreRecords(db), full]);
  return full;
}

/** The restore this device is waiting on (its appends are held), or null. */
export function restoreHold(db: Db): RestoreRecord | null {
  const last = restoreRecords(db).at(-1);
  return last && last.resumed === null ? last : null;
}

/** Ends the hold: this device caught up with its clinic; its log held `logSize` entries then. */
export function resumeAfterRestore(db: Db, logSize: number): void {
  const records = restoreRecords(db);
  const last = records.at(-1);
  if (!last || last.resumed !== null) return;
  writeRecords(db, [...records.slice(0, -1), { ...last, resumed: logSize }]);
}

/**
 * Whether the entry at local position `position` was received back after a restore (between the
 * backup's end and the moment the device resumed, or still waits): an entry of this device there
 * was signed by the log the restore replaced, never appended here.
 */
export function receivedBackAfterRestore(records: readonly RestoreRecord[], position: number): boolean {
  return records.some((r) => position > r.size && (r.resumed === null || position <= r.resumed));
}

/** The words every refused write says while the hold lasts (docs/architecture.md#backups). */
export const HOLD_MESSAGE =
  'this computer was restored from a backup and first takes back, from the clinic\'s other computers, what it wrote after that backup. Start sync ("movelog sync", or the app with sync on) while another computer of the clinic is on; writing resumes by itself once it has caught up. (A clinic with no other computer restores with "movelog restore --no-peers".)';
