import { nameTokens, phoneDigits } from '../../../shared/text.js';
import { insertPatientAccess, patientExists, patientVersion, putPatientSnapshot, setRegisteredAt } from '../../views/patients.js';
import { putPatientLink } from '../../views/links.js';
import { insertEmergencyAccess } from '../../views/care.js';
import type { Entry } from '../entry.js';
import { openEntryBody } from '../seal.js';
import type { SealedBody } from '../seal.js';
import { patientOfStream } from '../streams.js';
import type { KindRule, OrderKey, PolicyContext, ReduceContext } from './types.js';

const exists = (ctx: PolicyContext, patientId: string): boolean => patientExists(ctx.db, patientId);

/**
 * Applies a demographics snapshot, last writer wins on (height, hash). The sealed body is opened
 * with this device's key for the patient and read with the stored-body schema (no clock: the same
 * entry gives the same row on any day); without the key the row says only that the patient exists.
 */
function applySnapshot(ctx: ReduceContext, kind: 'patient.registered' | 'patient.updated', body: SealedBody, entry: Entry, at: OrderKey): void {
  const { db } = ctx;
  const patientId = patientOfStream(entry.stream);
  if (patientId === null) return;
  const current = patientVersion(db, patientId);
  const registeredAt = kind === 'patient.registered' ? entry.at : (current?.registeredAt ?? entry.at);
  if (kind === 'patient.registered' && current) setRegisteredAt(db, patientId, registeredAt);
  if (current && (current.height > at.height || (current.height === at.height && current.hash >= at.hash))) return;

  const d = openEntryBody(ctx.keystore, kind, entry, body);
  putPatientSnapshot(
    db,
    {
      patientId,
      readable: d !== null,
      givenName: d?.givenName ?? null,
      familyName: d?.familyName ?? null,
      preferredName: d?.preferredName ?? null,
      dateOfBirth: d?.dateOfBirth ?? null,
      phone: d?.phone ?? null,
      phoneDigits: phoneDigits(d?.phone ?? null),
      details: d ? JSON.stringify(d) : null,
      sortName: d ? nameTokens(`${d.familyName} ${d.givenName}`).join(' ') : '~sealed',
      registeredAt,
      tokens: d ? [...new Set(nameTokens(`${d.givenName} ${d.familyName} ${d.preferredName ?? ''}`))] : [],
    },
    at,
  );
}

/**
 * A link (or its withdrawal) between this record and another clinic's record of the same person
 * (docs/architecture.md#linked-records). The pair is sealed, so a device without the record's key
 * keeps no row; last writer wins per pair on (height, hash), so any delivery order gives one state.
 */
function applyLink(ctx: ReduceContext, kind: 'patient.linked' | 'patient.unlinked', body: SealedBody, entry: Entry, at: OrderKey): void {
  const patientId = patientOfStream(entry.stream);
  const link = openEntryBody(ctx.keystore, kind, entry, body);
  if (patientId === null || link === null || link.other === patientId) return;
  putPatientLink(
    ctx.db,
    { patientId, otherId: link.other, otherHome: link.otherHome, linked: kind === 'patient.linked', at: entry.at, by: entry.by },
    at,
  );
}

/** Who may link or unlink records: the roles that find and register patients, and therapists, who chart for them. */
function linkPolicy(ctx: PolicyContext): string | null {
  if (ctx.actorRole !== 'front_desk' && ctx.actorRole !== 'manager' && ctx.actorRole !== 'therapist') {
    return "only the front desk, a manager or a therapist can link a patient's records";
  }
  const patientId = patientOfStream(ctx.entry.stream);
  return patientId !== null && exists(ctx, patientId) ? null : 'no such patient';
}

type PatientKind = 'patient.registered' | 'patient.updated' | 'access.read' | 'patient.linked' | 'patient.unlinked';

/** Patients' demographics (docs/architecture.md#patients), sealed from the first entry (docs/architecture.md#sealed-patient-bodies). */
export const patientRules: { readonly [K in PatientKind]: KindRule<K> } = {
  'patient.registered': {
    stream: 'profile',
    policy(ctx) {
      if (ctx.actorRole !== 'front_desk' && ctx.actorRole !== 'manager') return 'only the front desk or a manager can register patients';
      const patientId = patientOfStream(ctx.entry.stream);
      if (patientId === null || ctx.entry.seq !== 1 || ctx.entry.deps.length > 0 || exists(ctx, patientId)) {
        return 'patient.registered must be the first entry of a new patient';
      }
      return null;
    },
    reduce: (ctx, body, entry, at) => applySnapshot(ctx, 'patient.registered', body, entry, at),
  },
  'patient.updated': {
    stream: 'profile',
    policy(ctx) {
      if (ctx.actorRole !== 'front_desk' && ctx.actorRole !== 'manager' && ctx.actorRole !== 'therapist') {
        return "only the front desk, a manager or a therapist can change a patient's details";
      }
      const patientId = patientOfStream(ctx.entry.stream);
      return patientId !== null && exists(ctx, patientId) ? null : 'no such patient';
    },
    reduce: (ctx, body, entry, at) => applySnapshot(ctx, 'patient.updated', body, entry, at),
  },
  'access.read': {
    stream: 'access',
    // Anyone on the staff may open a record their role allows (the service checks the role); the
    // record of it is kept whatever happens. Not judged against the profile stream: streams are
    // delivered independently, so that would make the outcome depend on arrival order.
    policy: (ctx) => (ctx.actorRole === null ? 'a record of access names the staff member who read' : null),
    reduce(ctx, body, entry, at) {
      // What was read is sealed with the record; a device without the key lists the reading without it.
      const opened = openEntryBody(ctx.keystore, 'access.read', entry, body);
      const patientId = patientOfStream(entry.stream);
      insertPatientAccess(ctx.db, {
        hash: at.hash,
        patientId,
        staffId: entry.by,
        device: entry.author,
        at: entry.at,
        what: opened?.what ?? null,
      });
      // Break-the-glass (docs/architecture.md#break-the-glass): an emergency access, with its reason, awaits a manager's review.
      if (opened?.mode === 'emergency' && patientId !== null && entry.by !== null)
        insertEmergencyAccess(ctx.db, {
          hash: at.hash,
          patientId,
          staffId: entry.by,
          device: entry.author,
          at: entry.at,
          what: opened.what,
          reason: opened.purpose,
        });
    },
  },
  'patient.linked': {
    stream: 'profile',
    policy: linkPolicy,
    reduce: (ctx, body, entry, at) => applyLink(ctx, 'patient.linked', body, entry, at),
  },
  'patient.unlinked': {
    stream: 'profile',
    policy: linkPolicy,
    reduce: (ctx, body, entry, at) => applyLink(ctx, 'patient.unlinked', body, entry, at),
  },
};
