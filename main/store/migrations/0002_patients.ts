import type { Migration } from '../migration.js';

/**
 * Patients: their data keys (mutable, outside the ledger, so erasure can destroy them) and the
 * patient views derived from the sealed profile entries.
 */
export const m0002Patients: Migration = {
  version: 2,
  name: '0002_patients',
  up(db) {
    db.exec(`
      CREATE TABLE patient_keys (
        patient_id  TEXT PRIMARY KEY,
        wrapped     BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
    `);
    db.exec(`
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
    `);
  },
};
