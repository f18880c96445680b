import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { clinicOfStream } from './streams.js';

/**
 * The clinic this ledger belongs to: the clinic whose genesis it stored first. A ledger stores
 * another clinic's genesis only once its own clinic trusts that clinic (policy.ts), which needs
 * its own genesis first, so the first genesis is always the home clinic's. Null before any.
 */
export function homeClinicId(db: Db): string | null {
  const known = homes.get(db);
  if (known !== undefined) return known;
  const row = statement<[], { stream: string }>(db, "SELECT stream FROM entries WHERE kind = 'clinic.created' ORDER BY local_seq LIMIT 1").get();
  const home = row ? (clinicOfStream(row.stream)?.clinicId ?? null) : null;
  // Entries are append-only, so once found the home clinic never changes: policy asks for it on
  // every entry ingested, and need not scan for it each time.
  if (home !== null) homes.set(db, home);
  return home;
}

const homes = new WeakMap<Db, string>();
