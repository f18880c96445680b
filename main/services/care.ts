import { ApiFailure, EMERGENCY_ACCESS_HOURS, EMERGENCY_ACCESS_MS } from '../../shared/api/index.js';
import type { AppointmentStatus, Role } from '../../shared/api/index.js';
import { wallClock } from '../../shared/time.js';
import { careWindowMonths, clinicTimeZone } from '../clinic/staffQueries.js';
import type { Ledger } from '../ledger/ledger.js';
import { latestEmergencyAccess, visitsOfPatients } from '../views/care.js';
import { linkedRecords } from '../views/links.js';
import { awaitsCosign } from '../views/notes.js';
import type { CallContext } from './context.js';

/** A visit as the care rule reads it: whose it is, when it starts, and its status. */
export interface CareVisit {
  readonly therapistId: string;
  readonly start: number;
  readonly status: AppointmentStatus;
}

/**
 * Statuses that do not put anyone in a patient's care: a cancelled visit never happened, and
 * counting it would let anyone book and cancel a visit to open a record for months without a word
 * (docs/architecture.md#break-the-glass). A no-show counts: the patient stays in that clinician's
 * care (rebooking, a call, a discharge note).
 */
const NOT_CARE: ReadonlySet<AppointmentStatus> = new Set(['cancelled', 'late_cancelled']);

/** The care window in a clinic: how many months back, and the clinic's time zone whose dates it counts in. */
export interface CareWindow {
  readonly now: number;
  readonly months: number;
  readonly zone: string;
}

/**
 * The first clinic-local date (YYYY-MM-DD) of the care window: today in the clinic's zone, `months`
 * calendar months back (31 May − 3 months = 28 or 29 February: the day is clamped to the month).
 */
export function careWindowStart(window: CareWindow): string {
  const today = wallClock(window.now, window.zone).date;
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - window.months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(d, last), 2)}`;
}

/**
 * The care-relationship rule (docs/architecture.md#break-the-glass), a pure function: `staffId` is
 * in the care of the patient whose visits these are when one of the visits is theirs, not
 * cancelled, and falls on a clinic-local date from the start of the care window on: a visit in
 * the past `months` months, today, or booked for any later day. Other staff members' visits never
 * count.
 */
export function inCare(staffId: string, visits: readonly CareVisit[], window: CareWindow): boolean {
  const from = careWindowStart(window);
  return visits.some((v) => v.therapistId === staffId && !NOT_CARE.has(v.status) && wallClock(v.start, window.zone).date >= from);
}

/** Roles the care rule binds: the clinicians. Managers and the front desk read profiles without it; the front desk never reads notes. */
export const BOUND_BY_CARE: ReadonlySet<Role> = new Set(['therapist', 'assistant']);

export interface CareDeps {
  readonly ledger: Ledger;
  readonly now?: () => number;
}

export interface CareOptions {
  /**
   * The call reads clinical notes (notes.list, chart.get): a therapist supervising an assistant's
   * note of this record awaiting co-signature is in its care for it.
   */
  readonly supervision?: boolean;
}

/** Where the caller stands with a patient's record. */
export type CareStanding =
  | { readonly kind: 'not_bound' }
  | { readonly kind: 'in_care' }
  | { readonly kind: 'emergency'; readonly access: string; readonly until: number }
  | { readonly kind: 'outside'; readonly months: number };

/**
 * Where the signed-in staff member stands with a patient (docs/architecture.md#break-the-glass):
 * not bound by the rule (managers, front desk), in care (their visits with this record or a
 * record linked with it: the same person; or, reading notes with `supervision`, a therapist and
 * an assistant's note of this record awaiting co-signature), within four hours of an emergency access they made
 * (measured by the services' clock), or outside their care.
 */
export function careStanding(deps: CareDeps, patientId: string, ctx: CallContext, options: CareOptions = {}): CareStanding {
  const session = ctx.session;
  if (!session || !BOUND_BY_CARE.has(session.role)) return { kind: 'not_bound' };
  const db = deps.ledger.db;
  const now = deps.now?.() ?? Date.now();
  const months = careWindowMonths(db);
  const records = [patientId, ...linkedRecords(db, patientId).map((l) => l.patientId)];
  if (inCare(session.staffId, visitsOfPatients(db, records), { now, months, zone: clinicTimeZone(db) })) return { kind: 'in_care' };
  // Supervision is care: a therapist reads the notes of a record with an assistant's note awaiting
  // co-signature without a visit of their own (docs/architecture.md#break-the-glass).
  if (options.supervision === true && session.role === 'therapist' && awaitsCosign(db, patientId)) return { kind: 'in_care' };
  // The four hours run from the access on: [at, at + EMERGENCY_ACCESS_MS).
  const emergency = latestEmergencyAccess(db, patientId, session.staffId, now - EMERGENCY_ACCESS_MS);
  // An access stamped later than now (another computer's clock ahead) does not open a box that never ends.
  if (emergency && emergency.at <= now) return { kind: 'emergency', access: emergency.hash, until: emergency.at + EMERGENCY_ACCESS_MS };
  return { kind: 'outside', months };
}

/**
 * Refuses to open a patient's record (details, notes, consent) to a clinician outside their care,
 * with `outside_care`: the screen then offers an emergency access (`patient.breakGlass`).
 */
export function requireCare(deps: CareDeps, patientId: string, ctx: CallContext, options: CareOptions = {}): void {
  const standing = careStanding(deps, patientId, ctx, options);
  if (standing.kind !== 'outside') return;
  throw new ApiFailure(
    'outside_care',
    `This patient is not in your care: you have no visit with them in the past ${String(standing.months)} month${standing.months === 1 ? '' : 's'} and none booked. ` +
      `To open the record, say why: it is recorded as an emergency access, opens the record to you for ${String(EMERGENCY_ACCESS_HOURS)} hours, and a manager reviews it.`,
  );
}
