import type { AppointmentStatus } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * Break-the-glass (docs/architecture.md#break-the-glass): the clinic's care window
 * (`clinic.carewindow.set`, clear, last writer wins), the emergency accesses (`access.read` whose
 * sealed body says `mode: 'emergency'`) and the managers' reviews of them (`access.reviewed`,
 * sealed). The last two come from opening sealed bodies: a row exists only where the patient's key
 * is held, and is re-derived with the patient (erasure, a share that ended) like every sealed row.
 */
export const CARE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_care_window (
    clinic_id     TEXT PRIMARY KEY,
    months        INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_emergency_access (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    device        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    what          TEXT NOT NULL,
    reason        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_emergency_access_who ON view_emergency_access (patient_id, staff_id, at);
  CREATE INDEX view_emergency_access_at ON view_emergency_access (at, hash);
  CREATE TABLE view_emergency_reviews (
    access_hash   TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    hash          TEXT NOT NULL,
    verdict       TEXT NOT NULL,
    note          TEXT NOT NULL,
    by            TEXT,
    at            INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_emergency_reviews_at ON view_emergency_reviews (at, access_hash);
`,
  tables: [
    { name: 'view_care_window', key: 'clinic_id' },
    { name: 'view_emergency_access', key: 'hash', patient: 'patient_id = ?', sealed: 'rows' },
    { name: 'view_emergency_reviews', key: 'access_hash', patient: 'patient_id = ?', sealed: 'rows' },
  ],
};

// ------------------------------------------------------------------ writes (reducers)

export function upsertCareWindow(db: Db, w: { clinicId: string | null; months: number }, at: OrderKey): void {
  upsertLatest(db, 'view_care_window', 'clinic_id', { clinic_id: w.clinicId, months: w.months }, at);
}

/** An emergency access (an opened `access.read` with `mode: 'emergency'`); idempotent. */
export function insertEmergencyAccess(
  db: Db,
  a: { hash: string; patientId: string; staffId: string; device: string; at: number; what: string; reason: string },
): void {
  statement(
    db,
    'INSERT OR IGNORE INTO view_emergency_access (hash, patient_id, staff_id, device, at, what, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(a.hash, a.patientId, a.staffId, a.device, a.at, a.what, a.reason);
}

/** A review of an emergency access: one per access, the last writer on (height, hash) wins (two managers at once). */
export function putEmergencyReview(
  db: Db,
  r: { accessHash: string; patientId: string; hash: string; verdict: string; note: string; by: string | null; at: number },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_emergency_reviews',
    'access_hash',
    { access_hash: r.accessHash, patient_id: r.patientId, hash: r.hash, verdict: r.verdict, note: r.note, by: r.by, at: r.at },
    at,
  );
}

// ------------------------------------------------------------------ reads

/** The care window a manager set, in months, or null when never set. */
export function storedCareWindowMonths(db: Db, clinicId: string): number | null {
  return statement<[string], { m: number }>(db, 'SELECT months AS m FROM view_care_window WHERE clinic_id = ?').get(clinicId)?.m ?? null;
}

/** A visit as the care rule reads it. */
export interface CareVisitRow {
  readonly therapistId: string;
  readonly start: number;
  readonly status: AppointmentStatus;
}

/** Every visit this computer can read of these patients (any therapist, any status). */
export function visitsOfPatients(db: Db, patientIds: readonly string[]): CareVisitRow[] {
  const visits = statement<[string], CareVisitRow>(
    db,
    'SELECT therapist_id AS therapistId, start, status FROM view_appointments WHERE patient_id = ? ORDER BY start',
  );
  return [...new Set(patientIds)].flatMap((id) => visits.all(id));
}

export interface EmergencyAccessRow {
  readonly hash: string;
  readonly patientId: string;
  readonly staffId: string;
  readonly staffName: string | null;
  readonly role: string | null;
  readonly device: string | null;
  readonly at: number;
  readonly what: string;
  readonly reason: string;
}

const EMERGENCY_COLUMNS = `e.hash, e.patient_id AS patientId, e.staff_id AS staffId, s.name AS staffName, s.role, d.label AS device, e.at, e.what, e.reason`;
const EMERGENCY_FROM = `view_emergency_access e LEFT JOIN view_staff s ON s.id = e.staff_id LEFT JOIN view_devices d ON d.key = e.device`;

export function findEmergencyAccess(db: Db, hash: string): EmergencyAccessRow | null {
  return statement<[string], EmergencyAccessRow>(db, `SELECT ${EMERGENCY_COLUMNS} FROM ${EMERGENCY_FROM} WHERE e.hash = ?`).get(hash) ?? null;
}

/** The latest emergency access of this staff member to this patient made after `since`, or null. */
export function latestEmergencyAccess(db: Db, patientId: string, staffId: string, since: number): { hash: string; at: number } | null {
  return (
    statement<[string, string, number], { hash: string; at: number }>(
      db,
      'SELECT hash, at FROM view_emergency_access WHERE patient_id = ? AND staff_id = ? AND at > ? ORDER BY at DESC, hash DESC LIMIT 1',
    ).get(patientId, staffId, since) ?? null
  );
}

/**
 * Emergency accesses by this clinic's staff that no manager has reviewed yet, oldest first (at
 * most `limit`), with the patient's name as this computer holds it.
 */
export function emergenciesAwaitingReview(db: Db, clinicId: string, limit: number): (EmergencyAccessRow & { patientName: string | null })[] {
  return statement<[string, number], EmergencyAccessRow & { patientName: string | null }>(
    db,
    `SELECT ${EMERGENCY_COLUMNS}, CASE WHEN p.given IS NULL THEN NULL ELSE p.family || ', ' || p.given END AS patientName
       FROM ${EMERGENCY_FROM} LEFT JOIN view_patients p ON p.patient_id = e.patient_id
      WHERE s.clinic_id = ? AND NOT EXISTS (SELECT 1 FROM view_emergency_reviews r WHERE r.access_hash = e.hash)
      ORDER BY e.at, e.hash LIMIT ?`,
  ).all(clinicId, limit);
}

export interface ReviewedEmergencyRow extends EmergencyAccessRow {
  readonly patientName: string | null;
  readonly verdict: string;
  readonly note: string;
  readonly reviewerName: string | null;
  readonly reviewedAt: number;
}

/** Emergency accesses by this clinic's staff that a manager reviewed, most recently reviewed first (at most `limit`). */
export function reviewedEmergencies(db: Db, clinicId: string, limit: number): ReviewedEmergencyRow[] {
  return statement<[string, number], ReviewedEmergencyRow>(
    db,
    `SELECT ${EMERGENCY_COLUMNS}, CASE WHEN p.given IS NULL THEN NULL ELSE p.family || ', ' || p.given END AS patientName,
            r.verdict, r.note, m.name AS reviewerName, r.at AS reviewedAt
       FROM ${EMERGENCY_FROM} JOIN view_emergency_reviews r ON r.access_hash = e.hash
       LEFT JOIN view_patients p ON p.patient_id = e.patient_id LEFT JOIN view_staff m ON m.id = r.by
      WHERE s.clinic_id = ?
      ORDER BY r.at DESC, r.access_hash LIMIT ?`,
  ).all(clinicId, limit);
}

/** The review of one emergency access, or null. */
export function reviewOf(db: Db, accessHash: string): { verdict: string; note: string; by: string | null; at: number } | null {
  return (
    statement<[string], { verdict: string; note: string; by: string | null; at: number }>(
      db,
      'SELECT verdict, note, by, at FROM view_emergency_reviews WHERE access_hash = ?',
    ).get(accessHash) ?? null
  );
}

/** How many readings (`access.read`) this staff member made of this patient in [from, to). */
export function readingsBetween(db: Db, patientId: string, staffId: string, from: number, to: number): number {
  return (
    statement<[string, string, number, number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM view_patient_access WHERE patient_id = ? AND staff_id = ? AND at >= ? AND at < ?',
    ).get(patientId, staffId, from, to)?.n ?? 0
  );
}
