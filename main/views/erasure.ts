import type { ErasureChannel } from '../../shared/ledger/kinds/erasure.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * Erasure (docs/architecture.md#erasure): one row per `patient.erasure` entry (clear fields only;
 * rows are only inserted, so any delivery order gives the same table), and the clinic's retention
 * period (`clinic.retention.set`, last writer wins).
 */
export const ERASURE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_erasures (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    home          TEXT NOT NULL,
    author        TEXT NOT NULL,
    staff_id      TEXT,
    at            INTEGER NOT NULL,
    requested_on  TEXT NOT NULL,
    received_via  TEXT NOT NULL,
    override      TEXT,
    height        INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_erasures_patient ON view_erasures (patient_id, home, height, hash);
  CREATE TABLE view_retention (
    clinic_id     TEXT PRIMARY KEY,
    years         INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [
    { name: 'view_erasures', key: 'hash', patient: 'patient_id = ?' },
    { name: 'view_retention', key: 'clinic_id' },
  ],
};

export interface ErasureRow {
  readonly hash: string;
  readonly patientId: string;
  readonly home: string;
  readonly author: string;
  readonly staffId: string | null;
  /** When the entry was signed (ms since the epoch): the record shows "Erased on" this day. */
  readonly at: number;
  readonly requestedOn: string;
  readonly receivedVia: ErasureChannel;
  readonly override: string | null;
  readonly height: number;
}

export function insertErasure(db: Db, r: ErasureRow): void {
  statement(
    db,
    `INSERT OR IGNORE INTO view_erasures (hash, patient_id, home, author, staff_id, at, requested_on, received_via, override, height)
     VALUES (@hash, @patientId, @home, @author, @staffId, @at, @requestedOn, @receivedVia, @override, @height)`,
  ).run(r);
}

const COLUMNS = `hash, patient_id AS patientId, home, author, staff_id AS staffId, at, requested_on AS requestedOn,
  received_via AS receivedVia, override, height`;

/**
 * The first (canonical order) erasure of the patient written by `home`, the patient's home clinic
 * as this ledger sees it, or null. An erasure another clinic wrote for a patient it does not own
 * counts for nothing (its own software refuses to write one), as a grant from a non-home clinic
 * counts for nothing in the consent state.
 */
export function erasureOf(db: Db, patientId: string, home: string): ErasureRow | null {
  return (
    statement<[string, string], ErasureRow>(
      db,
      `SELECT ${COLUMNS} FROM view_erasures WHERE patient_id = ? AND home = ? ORDER BY height, hash LIMIT 1`,
    ).get(patientId, home) ?? null
  );
}

/** Every patient with an erasure entry here, whoever wrote it (the caller checks the home). */
export function patientsWithErasure(db: Db): string[] {
  return statement<[], { id: string }>(db, 'SELECT DISTINCT patient_id AS id FROM view_erasures ORDER BY patient_id')
    .all()
    .map((r) => r.id);
}

/** Changes whenever an erasure entry is stored (sync then makes keys and views follow). */
export function erasureGeneration(db: Db): number {
  return statement<[], { n: number | null }>(db, 'SELECT max(rowid) AS n FROM view_erasures').get()?.n ?? 0;
}

export function upsertRetention(db: Db, r: { clinicId: string | null; years: number }, at: OrderKey): void {
  upsertLatest(db, 'view_retention', 'clinic_id', { clinic_id: r.clinicId, years: r.years }, at);
}

/** The clinic's retention period in years as set, or null when it was never set. */
export function storedRetentionYears(db: Db, clinicId: string): number | null {
  return statement<[string], { y: number }>(db, 'SELECT years AS y FROM view_retention WHERE clinic_id = ?').get(clinicId)?.y ?? null;
}
