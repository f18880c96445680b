import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { clinicOfStream } from './streams.js';

/**
 * The clinic this ledger belongs to: the clinic whose genesis it stored first. A ledger stores
 * another clinic's genesis only once its own clinic trusts that clinic (policy.ts), which needs
 * its own genesis first, so the first genesis is always the home clinic's. Null before any.
 */
export function homeClinicId(db: Db): string | null {
  const row = statement<[], { stream: string }>(db, "SELECT stream FROM entries WHERE kind = 'clinic.created' ORDER BY local_seq LIMIT 1").get();
  return row ? (clinicOfStream(row.stream)?.clinicId ?? null) : null;
}
