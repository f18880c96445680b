import { ApiFailure } from '../../shared/api/index.js';
import { readClinic } from '../clinic/queries.js';
import type { Db } from '../store/db.js';
import type { CallContext } from './context.js';

/** The signed-in staff member making the call (the entry's `by`); refuses anonymous callers. */
export function actingStaff(ctx: CallContext): string {
  if (!ctx.session) throw new ApiFailure('unauthenticated', 'Sign in to continue.');
  return ctx.session.staffId;
}

/** This data directory's clinic id; refuses calls before first-run setup. */
export function requireClinicId(db: Db): string {
  const clinic = readClinic(db);
  if (!clinic) throw new ApiFailure('unavailable', 'Set up the clinic first.');
  return clinic.id;
}
