import type { Migration } from '../migration.js';

/** The patient access audit (derived view). */
export const m0006Access: Migration = {
  version: 6,
  name: '0006_access',
  up(db) {
    db.exec(`
      CREATE TABLE view_patient_access (
        hash          TEXT PRIMARY KEY,
        patient_id    TEXT NOT NULL,
        staff_id      TEXT NOT NULL,
        device        TEXT NOT NULL,
        at            INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX view_patient_access_by_patient ON view_patient_access (patient_id, at);
    `);
  },
};
