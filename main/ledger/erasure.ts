import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { patientHome } from '../views/consent.js';
import { erasureOf } from '../views/erasure.js';
import type { ErasureRow } from '../views/erasure.js';
import { homeClinicId } from './home.js';
import { patientStream } from './streams.js';

/**
 * The patient's erasure as this ledger sees it (docs/architecture.md#erasure): the first
 * `patient.erasure` written by the patient's home clinic (the grantor of the first grant naming
 * this ledger's clinic, else this clinic), or null when the record is not erased.
 */
export function patientErasure(db: Db, patientId: string): ErasureRow | null {
  const local = homeClinicId(db);
  if (local === null) return null;
  return erasureOf(db, patientId, patientHome(db, patientId, local));
}

/** Whether the patient's record is erased on this ledger. */
export const isErased = (db: Db, patientId: string): boolean => patientErasure(db, patientId) !== null;

/**
 * When the patient's newest clinical entry (a note, an addendum, a co-signature) was signed, by
 * its clear `at`, or null when the record has none: the retention period runs from it.
 */
export function newestClinicalEntryAt(db: Db, patientId: string): number | null {
  return (
    statement<[string], { at: number | null }>(db, "SELECT max(json_extract(CAST(bytes AS TEXT), '$.at')) AS at FROM entries WHERE stream = ?").get(
      patientStream(patientId, 'clinical'),
    )?.at ?? null
  );
}
