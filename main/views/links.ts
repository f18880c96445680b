import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { OrderKey, ViewSet } from './support.js';
import { bit, upsertLatest } from './support.js';

/**
 * Links between this clinic's own record of a person and a record another clinic shares
 * (docs/architecture.md#linked-records), written by `patient.linked` / `patient.unlinked` in the
 * own record's profile stream. One last-writer-wins row per pair: `linked` 0 is a withdrawn link.
 */
export const LINK_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patient_links (
    patient_id  TEXT NOT NULL,
    other_id    TEXT NOT NULL,
    other_home  TEXT NOT NULL,
    linked      INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    by          TEXT,
    v_height    INTEGER NOT NULL,
    v_hash      TEXT NOT NULL,
    PRIMARY KEY (patient_id, other_id)
  ) STRICT;
  CREATE INDEX view_patient_links_other ON view_patient_links (other_id, patient_id);
`,
  tables: [{ name: 'view_patient_links', key: 'patient_id, other_id', patient: 'patient_id = ?', sealed: 'rows' }],
};

// ------------------------------------------------------------------ writes (reducers)

/** A link made or withdrawn, last writer wins on (height, hash) per pair. */
export function putPatientLink(
  db: Db,
  l: { patientId: string; otherId: string; otherHome: string; linked: boolean; at: number; by: string | null },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_patient_links',
    'patient_id, other_id',
    { patient_id: l.patientId, other_id: l.otherId, other_home: l.otherHome, linked: bit(l.linked), at: l.at, by: l.by },
    at,
    ['patient_id', 'other_id'],
  );
}

// ------------------------------------------------------------------ reads

/**
 * The records linked with `patientId`, either way: the links its own profile stream holds (the
 * other record and the clinic named in the link), and the links of other records that name it
 * (`home` null: the linking record's clinic is read from the consent, not from the link).
 */
export function linkedRecords(db: Db, patientId: string): { patientId: string; home: string | null }[] {
  return statement<[string, string], { patientId: string; home: string | null }>(
    db,
    `SELECT other_id AS patientId, other_home AS home FROM view_patient_links WHERE patient_id = ? AND linked = 1
     UNION
     SELECT patient_id AS patientId, NULL AS home FROM view_patient_links WHERE other_id = ? AND linked = 1
     ORDER BY patientId`,
  ).all(patientId, patientId);
}

/** Whether the own record `patientId` holds a link (made and not withdrawn) with `otherId`. */
export function isLinked(db: Db, patientId: string, otherId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_patient_links WHERE patient_id = ? AND other_id = ? AND linked = 1').get(patientId, otherId) !== undefined;
}
