import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, PatientDetails, PatientSummary } from '../../shared/api/index.js';
import { PatientDetails as PatientDetailsSchema } from '../../shared/api/index.js';
import type { AccessReadDetails } from '../../shared/ledger/kinds/patients.js';
import { nameTokens, phoneDigits } from '../../shared/text.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Draft, Ledger } from '../ledger/ledger.js';
import { sealBody, tryOpenBody } from '../ledger/seal.js';
import type { SealedBody } from '../ledger/seal.js';
import type { Db } from '../store/db.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';

export interface PatientDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
}

interface Row {
  patient_id: string;
  readable: number;
  given: string | null;
  family: string | null;
  preferred: string | null;
  dob: string | null;
  phone: string | null;
  registered_at: number;
  details: string | null;
}

const COLUMNS = 'p.patient_id, p.readable, p.given, p.family, p.preferred, p.dob, p.phone, p.registered_at, p.details';

const summary = (r: Row): PatientSummary => ({
  patientId: r.patient_id,
  readable: r.readable === 1,
  givenName: r.given,
  familyName: r.family,
  preferredName: r.preferred,
  dateOfBirth: r.dob,
  phone: r.phone,
  registeredAt: r.registered_at,
});

const profileStream = (patientId: string) => `p:${patientId}/profile`;

function findPatient(db: Db, patientId: string): Row | undefined {
  return db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM view_patients p WHERE p.patient_id = ?`).get(patientId);
}

/** Builds the sealed drafts that register a patient (the key is created in the same transaction). */
function registrationDraft(deps: PatientDeps, details: PatientDetails, by: string): { patientId: string; draft: () => Draft } {
  const patientId = randomBytes(16).toString('hex');
  return {
    patientId,
    draft: () => {
      const key = deps.keystore.createKey(patientId, Date.now());
      const stream = profileStream(patientId);
      return { stream, kind: 'patient.registered', by, body: sealBody(key, stream, 'patient.registered', details) };
    },
  };
}

export function findDuplicates(
  db: Db,
  probe: { givenName: string; familyName: string; dateOfBirth: string; phone: string | null },
): PatientSummary[] {
  const family = nameTokens(probe.familyName).join(' ');
  const given = nameTokens(probe.givenName).join(' ');
  const digits = phoneDigits(probe.phone);
  const sameBirth = db
    .prepare<[string], Row & { sort_name: string }>(`SELECT ${COLUMNS}, p.sort_name FROM view_patients p WHERE p.dob = ?`)
    .all(probe.dateOfBirth);
  const similar = sameBirth.filter((r) => {
    const rf = nameTokens(r.family ?? '').join(' ');
    const rg = nameTokens(r.given ?? '').join(' ');
    return (rf === family && (rg.slice(0, 1) === given.slice(0, 1) || given === '')) || (rg === given && rf.slice(0, 3) === family.slice(0, 3));
  });
  // The same number typed with or without a country or trunk prefix: one ends with the other.
  const samePhone =
    digits && digits.length >= 7
      ? db
          .prepare<[string, string], Row>(
            `SELECT ${COLUMNS} FROM view_patients p WHERE length(p.phone_digits) >= 7 AND (p.phone_digits LIKE '%' || ? OR ? LIKE '%' || p.phone_digits)`,
          )
          .all(digits, digits)
      : [];
  const byId = new Map<string, Row>();
  for (const r of [...similar, ...samePhone]) byId.set(r.patient_id, r);
  return [...byId.values()].map(summary);
}

const describe = (p: PatientSummary) =>
  `${p.givenName ?? ''} ${p.familyName ?? ''}, born ${p.dateOfBirth ?? '?'}${p.phone ? `, phone ${p.phone}` : ''}`;

export function registerPatient(deps: PatientDeps, input: CallParsedInput<'patient.register'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  return db
    .transaction(() => {
      if (!input.confirmDuplicate) {
        const dupes = findDuplicates(db, input.details);
        if (dupes.length > 0) {
          throw new ApiFailure(
            'conflict',
            `This may be a patient who is already registered: ${dupes.map(describe).join('; ')}. Open that record, or confirm that this is a different person.`,
          );
        }
      }
      const { patientId, draft } = registrationDraft(deps, input.details, by);
      deps.ledger.append(draft());
      return summary(findPatient(db, patientId) as Row);
    })
    .immediate();
}

/** Registers many patients in one transaction (demo data, imports, benchmarks); no duplicate check. */
export function registerPatients(deps: PatientDeps, list: readonly PatientDetails[], by: string): string[] {
  return deps.ledger.db
    .transaction(() => {
      const made = list.map((d) => registrationDraft(deps, PatientDetailsSchema.parse(d), by));
      deps.ledger.appendMany(made.map((m) => m.draft()));
      return made.map((m) => m.patientId);
    })
    .immediate();
}

/** The patient's data key; refuses an unknown patient, or one whose key this computer does not hold. */
export function requirePatientKey(deps: PatientDeps, patientId: string): Buffer {
  if (!findPatient(deps.ledger.db, patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  const key = deps.keystore.keyFor(patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  return key;
}

/** The access audit (docs/architecture.md#access-audit): a reading of the patient's record, sealed like the record. */
export function recordRead(deps: PatientDeps, key: Buffer, patientId: string, what: AccessReadDetails['what'], ctx: CallContext): void {
  const stream = `p:${patientId}/access`;
  const body: AccessReadDetails = { what, purpose: 'care' };
  deps.ledger.append({ stream, kind: 'access.read', by: actingStaff(ctx), body: sealBody(key, stream, 'access.read', body) });
}

export function updatePatient(deps: PatientDeps, input: CallParsedInput<'patient.update'>, ctx: CallContext): PatientSummary {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const key = requirePatientKey(deps, input.patientId);
  const stream = profileStream(input.patientId);
  deps.ledger.append({ stream, kind: 'patient.updated', by, body: sealBody(key, stream, 'patient.updated', input.details) });
  return summary(findPatient(db, input.patientId) as Row);
}

export function getPatient(deps: PatientDeps, input: CallParsedInput<'patient.get'>, ctx: CallContext): CallOutput<'patient.get'> {
  const db = deps.ledger.db;
  const row = findPatient(db, input.patientId);
  if (!row) throw new ApiFailure('not_found', 'There is no such patient.');
  const key = deps.keystore.keyFor(input.patientId);
  // The access audit (docs/architecture.md#access-audit): opening a record is itself recorded, sealed like the record.
  // Without the key nothing readable is shown, and there is nothing to seal the record with.
  if (key) recordRead(deps, key, input.patientId, 'profile', ctx);
  const stream = profileStream(input.patientId);
  const entries = db
    .prepare<[string], { hash: string; bytes: Buffer }>('SELECT hash, bytes FROM entries WHERE stream = ? ORDER BY height DESC, hash DESC')
    .all(stream);
  const staffName = db.prepare<[string], { name: string }>('SELECT name FROM view_staff WHERE id = ?');
  const history = entries.map((e) => {
    const entry = JSON.parse(e.bytes.toString('utf8')) as {
      kind: 'patient.registered' | 'patient.updated';
      at: number;
      by: string | null;
      body: SealedBody;
    };
    // A version that does not open (no key, or sealed by a faulty device) shows without details.
    const opened = tryOpenBody(key, stream, entry.kind, entry.body);
    const parsed = opened === null ? null : PatientDetailsSchema.safeParse(opened);
    const details: PatientDetails | null = parsed?.success ? parsed.data : null;
    return { hash: e.hash, kind: entry.kind, at: entry.at, byName: entry.by ? (staffName.get(entry.by)?.name ?? null) : null, details };
  });
  return { summary: summary(row), details: row.details ? PatientDetailsSchema.parse(JSON.parse(row.details)) : null, history };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;

/**
 * Search: a date (YYYY-MM-DD, or DD/MM/YYYY and DD.MM.YYYY) finds that date of birth; mostly digits
 * find phone numbers that start or end with them; anything else is name words, each matching the start of a
 * given, family or preferred name, accents and case ignored.
 */
export function searchPatients(db: Db, query: string, limit = 50): PatientSummary[] {
  const q = query.trim();
  if (q === '') {
    return db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM view_patients p ORDER BY p.sort_name, p.patient_id LIMIT ?`).all(limit).map(summary);
  }
  const local = LOCAL_DATE.exec(q);
  if (ISO_DATE.test(q) || local) {
    const iso = local ? `${local[3] ?? ''}-${(local[2] ?? '').padStart(2, '0')}-${(local[1] ?? '').padStart(2, '0')}` : q;
    return db
      .prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM view_patients p WHERE p.dob = ? ORDER BY p.sort_name LIMIT ?`)
      .all(iso, limit)
      .map(summary);
  }
  const digits = q.replace(/\D/g, '');
  if (digits.length >= 4 && digits.length >= q.replace(/[\s()+.-]/g, '').length) {
    // Phone numbers match by their start or their end (the last digits people usually give),
    // each an indexed range scan: digits, and digits reversed.
    const reversed = digits.split('').reverse().join('');
    return db
      .prepare<[string, string, string, string, number], Row>(
        `SELECT ${COLUMNS} FROM view_patients p
          WHERE (p.phone_digits >= ? AND p.phone_digits < ?) OR (p.phone_rev >= ? AND p.phone_rev < ?)
          ORDER BY p.sort_name LIMIT ?`,
      )
      .all(digits, `${digits}:`, reversed, `${reversed}:`, limit)
      .map(summary);
  }
  const tokens = nameTokens(q).slice(0, 5);
  if (tokens.length === 0) return [];
  // Each word must start some name word of the patient: one indexed range scan per word.
  const clauses = tokens.map(() => 'p.patient_id IN (SELECT patient_id FROM view_patient_tokens WHERE token >= ? AND token < ?)').join(' AND ');
  const params = tokens.flatMap((t) => [t, `${t}\u{10FFFF}`]);
  return db
    .prepare<unknown[], Row>(`SELECT ${COLUMNS} FROM view_patients p WHERE ${clauses} ORDER BY p.sort_name, p.patient_id LIMIT ?`)
    .all(...params, limit)
    .map(summary);
}

/** The access audit of one patient, newest first (docs/architecture.md#access-audit). */
export function patientAccessLog(db: Db, input: CallParsedInput<'patient.accessLog'>): CallOutput<'patient.accessLog'> {
  if (!findPatient(db, input.patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  return db
    .prepare<[string], { at: number; staffName: string | null; role: string | null; device: string | null }>(
      `SELECT a.at, s.name AS staffName, s.role, d.label AS device
         FROM view_patient_access a LEFT JOIN view_staff s ON s.id = a.staff_id LEFT JOIN view_devices d ON d.key = a.device
        WHERE a.patient_id = ? ORDER BY a.at DESC, a.hash LIMIT 500`,
    )
    .all(input.patientId);
}
