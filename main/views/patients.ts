import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { OrderKey, ViewSet } from './support.js';

/** Patients' demographics and the name-search tokens (written by main/ledger/domains/patients.ts). */
export const PATIENT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patients (
    patient_id     TEXT PRIMARY KEY,
    readable       INTEGER NOT NULL,
    given          TEXT,
    family         TEXT,
    preferred      TEXT,
    dob            TEXT,
    phone          TEXT,
    phone_digits   TEXT,
    phone_rev      TEXT,
    details        TEXT,
    sort_name      TEXT NOT NULL,
    registered_at  INTEGER NOT NULL,
    v_height       INTEGER NOT NULL,
    v_hash         TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_patients_dob ON view_patients (dob);
  CREATE INDEX view_patients_phone ON view_patients (phone_digits);
  CREATE INDEX view_patients_phone_rev ON view_patients (phone_rev);
  CREATE INDEX view_patients_sort ON view_patients (sort_name, patient_id);
  CREATE TABLE view_patient_tokens (
    token       TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    PRIMARY KEY (token, patient_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX view_patient_tokens_patient ON view_patient_tokens (patient_id);
`,
  tables: [
    { name: 'view_patients', key: 'patient_id' },
    { name: 'view_patient_tokens', key: 'token, patient_id' },
  ],
};

/** Who opened which patient's record, when and on which device (the access audit). */
export const ACCESS_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patient_access (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    device        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    what          TEXT
  ) STRICT;
  CREATE INDEX view_patient_access_by_patient ON view_patient_access (patient_id, at);
`,
  tables: [{ name: 'view_patient_access', key: 'hash' }],
};

/** One patient as the views hold them; the name fields are null when this device cannot open the record. */
export interface PatientRow {
  readonly patientId: string;
  readonly readable: boolean;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly preferredName: string | null;
  readonly dateOfBirth: string | null;
  readonly phone: string | null;
  readonly registeredAt: number;
  /** The opened demographics as JSON (StoredPatientDetails), or null. */
  readonly details: string | null;
}

interface PatientSql {
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

const toPatient = (r: PatientSql): PatientRow => ({
  patientId: r.patient_id,
  readable: r.readable === 1,
  givenName: r.given,
  familyName: r.family,
  preferredName: r.preferred,
  dateOfBirth: r.dob,
  phone: r.phone,
  registeredAt: r.registered_at,
  details: r.details,
});

// ------------------------------------------------------------------ writes (reducers)

/** The (height, hash) of the snapshot a patient's row holds, and when they were registered. */
export function patientVersion(db: Db, patientId: string): { height: number; hash: string; registeredAt: number } | null {
  return (
    statement<[string], { height: number; hash: string; registeredAt: number }>(
      db,
      'SELECT v_height AS height, v_hash AS hash, registered_at AS registeredAt FROM view_patients WHERE patient_id = ?',
    ).get(patientId) ?? null
  );
}

export function setRegisteredAt(db: Db, patientId: string, registeredAt: number): void {
  statement(db, 'UPDATE view_patients SET registered_at = ? WHERE patient_id = ?').run(registeredAt, patientId);
}

/** What a demographics snapshot puts in the views; `names` are the search tokens (empty when unreadable). */
export interface PatientSnapshot {
  readonly patientId: string;
  readonly readable: boolean;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly preferredName: string | null;
  readonly dateOfBirth: string | null;
  readonly phone: string | null;
  readonly phoneDigits: string | null;
  readonly details: string | null;
  readonly sortName: string;
  readonly registeredAt: number;
  readonly tokens: readonly string[];
}

/** Writes a snapshot (the caller has checked it is the latest by (height, hash)) and its search tokens. */
export function putPatientSnapshot(db: Db, p: PatientSnapshot, at: OrderKey): void {
  statement(
    db,
    `INSERT INTO view_patients (patient_id, readable, given, family, preferred, dob, phone, phone_digits, phone_rev, details, sort_name, registered_at, v_height, v_hash)
     VALUES (@patientId, @readable, @given, @family, @preferred, @dob, @phone, @digits, @rev, @details, @sort, @registeredAt, @height, @hash)
     ON CONFLICT (patient_id) DO UPDATE SET readable = excluded.readable, given = excluded.given, family = excluded.family,
       preferred = excluded.preferred, dob = excluded.dob, phone = excluded.phone, phone_digits = excluded.phone_digits, phone_rev = excluded.phone_rev,
       details = excluded.details, sort_name = excluded.sort_name, v_height = excluded.v_height, v_hash = excluded.v_hash`,
  ).run({
    patientId: p.patientId,
    readable: p.readable ? 1 : 0,
    given: p.givenName,
    family: p.familyName,
    preferred: p.preferredName,
    dob: p.dateOfBirth,
    phone: p.phone,
    digits: p.phoneDigits,
    // Reversed digits: "ends with" becomes an indexed prefix range (searchPatientsByPhone).
    rev: p.phoneDigits?.split('').reverse().join('') ?? null,
    details: p.details,
    sort: p.sortName,
    registeredAt: p.registeredAt,
    height: at.height,
    hash: at.hash,
  });
  statement(db, 'DELETE FROM view_patient_tokens WHERE patient_id = ?').run(p.patientId);
  const insert = statement(db, 'INSERT OR IGNORE INTO view_patient_tokens (token, patient_id) VALUES (?, ?)');
  for (const token of p.tokens) insert.run(token, p.patientId);
}

/** One reading of a patient's record; `what` is null when this device cannot open the sealed body. */
export function insertPatientAccess(
  db: Db,
  a: { hash: string; patientId: string | null; staffId: string | null; device: string; at: number; what: string | null },
): void {
  statement(db, 'INSERT OR IGNORE INTO view_patient_access (hash, patient_id, staff_id, device, at, what) VALUES (?, ?, ?, ?, ?, ?)').run(
    a.hash,
    a.patientId,
    a.staffId,
    a.device,
    a.at,
    a.what,
  );
}

// ------------------------------------------------------------------ reads

export function patientExists(db: Db, patientId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_patients WHERE patient_id = ?').get(patientId) !== undefined;
}

export function findPatient(db: Db, patientId: string): PatientRow | null {
  const row = statement<[string], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE p.patient_id = ?`).get(patientId);
  return row ? toPatient(row) : null;
}

/** Every patient born on `isoDate` (YYYY-MM-DD), unordered. */
export function patientsBornOn(db: Db, isoDate: string): PatientRow[] {
  return statement<[string], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE p.dob = ?`).all(isoDate).map(toPatient);
}

/** Patients whose phone digits (7 or more) end with `digits`, or are the end of them. */
export function patientsWithPhoneLike(db: Db, digits: string): PatientRow[] {
  return statement<[string, string], PatientSql>(
    db,
    `SELECT ${COLUMNS} FROM view_patients p WHERE length(p.phone_digits) >= 7 AND (p.phone_digits LIKE '%' || ? OR ? LIKE '%' || p.phone_digits)`,
  )
    .all(digits, digits)
    .map(toPatient);
}

/** The first `limit` patients by sort name. */
export function firstPatients(db: Db, limit: number): PatientRow[] {
  return statement<[number], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p ORDER BY p.sort_name, p.patient_id LIMIT ?`)
    .all(limit)
    .map(toPatient);
}

export function searchPatientsByBirthDate(db: Db, isoDate: string, limit: number): PatientRow[] {
  return statement<[string, number], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE p.dob = ? ORDER BY p.sort_name LIMIT ?`)
    .all(isoDate, limit)
    .map(toPatient);
}

/** Patients whose phone digits start or end with `digits`: each an indexed range scan (digits, and digits reversed). */
export function searchPatientsByPhone(db: Db, digits: string, limit: number): PatientRow[] {
  const reversed = digits.split('').reverse().join('');
  return statement<[string, string, string, string, number], PatientSql>(
    db,
    `SELECT ${COLUMNS} FROM view_patients p
      WHERE (p.phone_digits >= ? AND p.phone_digits < ?) OR (p.phone_rev >= ? AND p.phone_rev < ?)
      ORDER BY p.sort_name LIMIT ?`,
  )
    .all(digits, `${digits}:`, reversed, `${reversed}:`, limit)
    .map(toPatient);
}

/** Patients of whom every token starts some name word: one indexed range scan per token. */
export function searchPatientsByNameTokens(db: Db, tokens: readonly string[], limit: number): PatientRow[] {
  if (tokens.length === 0) return [];
  const clauses = tokens.map(() => 'p.patient_id IN (SELECT patient_id FROM view_patient_tokens WHERE token >= ? AND token < ?)').join(' AND ');
  const params = tokens.flatMap((t) => [t, `${t}\u{10FFFF}`]);
  return statement<unknown[], PatientSql>(db, `SELECT ${COLUMNS} FROM view_patients p WHERE ${clauses} ORDER BY p.sort_name, p.patient_id LIMIT ?`)
    .all(...params, limit)
    .map(toPatient);
}

/** Who opened the patient's record and what they read, newest first (at most 500). */
export function patientAccessLog(
  db: Db,
  patientId: string,
): { at: number; staffName: string | null; role: string | null; device: string | null; what: string | null }[] {
  return statement<[string], { at: number; staffName: string | null; role: string | null; device: string | null; what: string | null }>(
    db,
    `SELECT a.at, s.name AS staffName, s.role, d.label AS device, a.what
       FROM view_patient_access a LEFT JOIN view_staff s ON s.id = a.staff_id LEFT JOIN view_devices d ON d.key = a.device
      WHERE a.patient_id = ? ORDER BY a.at DESC, a.hash LIMIT 500`,
  ).all(patientId);
}
