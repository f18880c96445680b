import { PatientDetails } from '../../../shared/api/calls/patients.js';
import { nameTokens, phoneDigits } from '../../../shared/text.js';
import type { Db } from '../../store/db.js';
import { statement } from '../../store/statements.js';
import type { Entry } from '../entry.js';
import { keystoreOf } from '../keystore.js';
import { tryOpenBody } from '../seal.js';
import type { SealedBody } from '../seal.js';
import type { KindRule, OrderKey, PolicyContext } from './types.js';

/** The patient id of a `p:<patientId>/<category>` stream. */
export function patientOfStream(stream: string): string | null {
  return /^p:([0-9a-f]{32})\//.exec(stream)?.[1] ?? null;
}

function patientExists(ctx: PolicyContext, patientId: string): boolean {
  return statement(ctx.db, 'SELECT 1 FROM view_patients WHERE patient_id = ?').get(patientId) !== undefined;
}

/**
 * Applies a demographics snapshot, last writer wins on (height, hash). The sealed body is opened
 * with this device's key for the patient; without it the row says only that the patient exists.
 */
function applySnapshot(db: Db, body: SealedBody, entry: Entry, at: OrderKey): void {
  const patientId = patientOfStream(entry.stream);
  if (patientId === null) return;
  const current = statement<[string], { v_height: number; v_hash: string; registered_at: number }>(
    db,
    'SELECT v_height, v_hash, registered_at FROM view_patients WHERE patient_id = ?',
  ).get(patientId);
  const registeredAt = entry.kind === 'patient.registered' ? entry.at : (current?.registered_at ?? entry.at);
  if (entry.kind === 'patient.registered' && current) {
    statement(db, 'UPDATE view_patients SET registered_at = ? WHERE patient_id = ?').run(registeredAt, patientId);
  }
  if (current && (current.v_height > at.height || (current.v_height === at.height && current.v_hash >= at.hash))) return;

  const opened = tryOpenBody(keystoreOf(db)?.keyFor(patientId) ?? null, entry.stream, entry.kind, body);
  const parsed = opened === null ? null : PatientDetails.safeParse(opened);
  const d = parsed?.success ? parsed.data : null;
  statement(
    db,
    `INSERT INTO view_patients (patient_id, readable, given, family, preferred, dob, phone, phone_digits, phone_rev, details, sort_name, registered_at, v_height, v_hash)
     VALUES (@patientId, @readable, @given, @family, @preferred, @dob, @phone, @digits, @rev, @details, @sort, @registeredAt, @height, @hash)
     ON CONFLICT (patient_id) DO UPDATE SET readable = excluded.readable, given = excluded.given, family = excluded.family,
       preferred = excluded.preferred, dob = excluded.dob, phone = excluded.phone, phone_digits = excluded.phone_digits, phone_rev = excluded.phone_rev,
       details = excluded.details, sort_name = excluded.sort_name, v_height = excluded.v_height, v_hash = excluded.v_hash`,
  ).run({
    patientId,
    readable: d ? 1 : 0,
    given: d?.givenName ?? null,
    family: d?.familyName ?? null,
    preferred: d?.preferredName ?? null,
    dob: d?.dateOfBirth ?? null,
    phone: d?.phone ?? null,
    digits: phoneDigits(d?.phone ?? null),
    rev:
      phoneDigits(d?.phone ?? null)
        ?.split('')
        .reverse()
        .join('') ?? null,
    details: d ? JSON.stringify(d) : null,
    sort: d ? nameTokens(`${d.familyName} ${d.givenName}`).join(' ') : '~sealed',
    registeredAt,
    height: at.height,
    hash: at.hash,
  });
  statement(db, 'DELETE FROM view_patient_tokens WHERE patient_id = ?').run(patientId);
  if (d) {
    const tokens = new Set(nameTokens(`${d.givenName} ${d.familyName} ${d.preferredName ?? ''}`));
    for (const token of tokens) statement(db, 'INSERT OR IGNORE INTO view_patient_tokens (token, patient_id) VALUES (?, ?)').run(token, patientId);
  }
}

/** Patients' demographics (docs/architecture.md#patients), sealed from the first entry (docs/architecture.md#sealed-patient-bodies). */
export const patientRules: { readonly [K in 'patient.registered' | 'patient.updated' | 'access.read']: KindRule<K> } = {
  'patient.registered': {
    stream: 'profile',
    policy(ctx) {
      if (ctx.actorRole !== 'front_desk' && ctx.actorRole !== 'manager') return 'only the front desk or a manager can register patients';
      const patientId = patientOfStream(ctx.entry.stream);
      if (patientId === null || ctx.entry.seq !== 1 || ctx.entry.deps.length > 0 || patientExists(ctx, patientId)) {
        return 'patient.registered must be the first entry of a new patient';
      }
      return null;
    },
    reduce: (db, body, entry, at) => applySnapshot(db, body, entry, at),
  },
  'patient.updated': {
    stream: 'profile',
    policy(ctx) {
      if (ctx.actorRole !== 'front_desk' && ctx.actorRole !== 'manager' && ctx.actorRole !== 'therapist') {
        return "only the front desk, a manager or a therapist can change a patient's details";
      }
      const patientId = patientOfStream(ctx.entry.stream);
      return patientId !== null && patientExists(ctx, patientId) ? null : 'no such patient';
    },
    reduce: (db, body, entry, at) => applySnapshot(db, body, entry, at),
  },
  'access.read': {
    stream: 'access',
    // Anyone on the staff may open a record their role allows (the service checks the role); the
    // record of it is kept whatever happens. Not judged against the profile stream: streams are
    // delivered independently, so that would make the outcome depend on arrival order.
    policy: (ctx) => (ctx.actorRole === null ? 'a record of access names the staff member who read' : null),
    reduce(db, _body, entry, at) {
      statement(db, 'INSERT OR IGNORE INTO view_patient_access (hash, patient_id, staff_id, device, at) VALUES (?, ?, ?, ?, ?)').run(
        at.hash,
        patientOfStream(entry.stream),
        entry.by,
        entry.author,
        entry.at,
      );
    },
  },
};
