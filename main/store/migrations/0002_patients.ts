import type { Migration } from '../migrate.js';
import { PATIENT_VIEWS } from '../../ledger/viewSchema.js';

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
    db.exec(PATIENT_VIEWS.sql);
  },
};
