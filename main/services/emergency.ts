import { ApiFailure, EMERGENCY_ACCESS_MS } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, EmergencyAccess } from '../../shared/api/index.js';
import { findStaff } from '../clinic/staffQueries.js';
import { homeClinicId } from '../ledger/home.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { staffName } from '../views/clinic.js';
import { emergenciesAwaitingReview, findEmergencyAccess, readingsBetween, reviewedEmergencies, reviewOf } from '../views/care.js';
import type { EmergencyAccessRow } from '../views/care.js';
import { findPatient } from '../views/patients.js';
import type { Db } from '../store/db.js';
import { careStanding } from './care.js';
import { assertNotLocked } from './consent.js';
import { assertNotErased } from './erased.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { nowOf, patientRecord, requirePatientKey } from './patients.js';
import type { PatientDeps } from './patients.js';

/** Most emergency accesses the review queue lists at once (oldest first), and most reviewed ones it shows. */
const QUEUE_MAX = 500;
const REVIEWED_MAX = 50;

/**
 * Break-the-glass (docs/architecture.md#break-the-glass): a clinician opens a patient outside
 * their care with a reason. One sealed `access.read` with `mode: 'emergency'` and the reason as
 * its purpose is the reading of the record and the start of four hours in which it opens as usual
 * for them; it waits in the managers' review queue.
 */
export function breakGlass(deps: PatientDeps, input: CallParsedInput<'patient.breakGlass'>, ctx: CallContext): CallOutput<'patient.breakGlass'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const row = findPatient(db, input.patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  assertNotErased(db, input.patientId);
  assertNotLocked(db, deps.keystore, input.patientId, nowOf(deps));
  const key = deps.keystore.sealingKey(input.patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  const standing = careStanding(deps, input.patientId, ctx);
  if (standing.kind === 'in_care' || standing.kind === 'not_bound')
    throw new ApiFailure('conflict', 'This patient is in your care: open the record as usual, no emergency access is needed.');
  // A new emergency access within the hours of an earlier one is recorded too (a new reason, new hours, another review).
  const hash = deps.ledger.append(
    sealedDraft(key, input.patientId, 'access.read', { what: 'profile', purpose: input.reason, mode: 'emergency' }, by),
  ).hash;
  const access = findEmergencyAccess(db, hash);
  if (!access) throw new Error('the emergency access was stored but not derived');
  return { record: patientRecord(deps, row), until: access.at + EMERGENCY_ACCESS_MS };
}

/** An emergency access as the queue shows it, with what was read during its hours and its review. */
function shown(db: Db, e: EmergencyAccessRow & { patientName: string | null }): EmergencyAccess {
  const until = e.at + EMERGENCY_ACCESS_MS;
  const review = reviewOf(db, e.hash);
  return {
    hash: e.hash,
    patientId: e.patientId,
    patientName: e.patientName,
    staffName: e.staffName,
    role: e.role,
    device: e.device,
    at: e.at,
    until,
    reason: e.reason,
    readings: readingsBetween(db, e.patientId, e.staffId, e.at, until),
    review: review
      ? {
          verdict: review.verdict === 'justified' ? 'justified' : 'not_justified',
          note: review.note,
          reviewerName: review.by ? staffName(db, review.by) : null,
          at: review.at,
        }
      : null,
  };
}

/**
 * The managers' review queue: emergency accesses by this clinic's staff awaiting review, oldest
 * first, and the latest reviewed ones with their verdicts. Derived from the views, so rebuilt with
 * them; another clinic's staff (a shared record's access stream) are reviewed by their own managers.
 */
export function emergencies(deps: PatientDeps): CallOutput<'access.emergencies'> {
  const db = deps.ledger.db;
  const clinic = homeClinicId(db) ?? '';
  return {
    awaiting: emergenciesAwaitingReview(db, clinic, QUEUE_MAX).map((e) => shown(db, e)),
    reviewed: reviewedEmergencies(db, clinic, REVIEWED_MAX).map((e) => shown(db, e)),
  };
}

/**
 * A manager's verdict on an emergency access: a signed `access.reviewed`, sealed in the patient's
 * access stream beside the access it reviews (so erasing the patient erases the note too).
 */
export function reviewEmergency(deps: PatientDeps, input: CallParsedInput<'access.review'>, ctx: CallContext): CallOutput<'access.review'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const access = findEmergencyAccess(db, input.access);
  if (!access) throw new ApiFailure('not_found', 'There is no such emergency access on this computer.');
  if (findStaff(db, access.staffId) === null)
    throw new ApiFailure('forbidden', "That emergency access was made by another clinic's staff member: their own managers review it.");
  if (access.staffId === by) throw new ApiFailure('forbidden', 'You cannot review your own emergency access: another manager reviews it.');
  const earlier = reviewOf(db, input.access);
  if (earlier)
    throw new ApiFailure(
      'conflict',
      `This emergency access was already reviewed${earlier.by ? ` by ${staffName(db, earlier.by) ?? 'another manager'}` : ''}: ${earlier.verdict === 'justified' ? 'justified' : 'not justified'}.`,
    );
  const key = requirePatientKey(deps, access.patientId);
  deps.ledger.append(sealedDraft(key, access.patientId, 'access.reviewed', { access: input.access, verdict: input.verdict, note: input.note }, by));
  const patient = findPatient(db, access.patientId);
  const patientName = patient?.givenName ? `${patient.familyName ?? ''}, ${patient.givenName}` : null;
  return shown(db, { ...access, patientName });
}
