import { ApiFailure } from '../../shared/api/index.js';
import { wallClock } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { patientErasure } from '../ledger/erasure.js';
import type { Db } from '../store/db.js';

/** The day, in the clinic's calendar (YYYY-MM-DD), a record was erased on. */
export const erasedOn = (db: Db, at: number): string => wallClock(at, clinicTimeZone(db)).date;

/**
 * Refuses to write into an erased record (docs/architecture.md#erasure), with when, before the
 * service looks for a key that no longer exists. The ledger refuses it too (ownDeviceRefusal);
 * this says it in the words a person reads.
 */
export function assertNotErased(db: Db, patientId: string): void {
  const erasure = patientErasure(db, patientId);
  if (erasure)
    throw new ApiFailure(
      'forbidden',
      `This patient's record was erased on ${erasedOn(db, erasure.at)} at the patient's request: nothing more can be recorded in it.`,
    );
}
