import type { Migration } from '../migrate.js';

export const m0001Clinic: Migration = {
  version: 1,
  name: '0001_clinic',
  up(db) {
    db.exec(`
      CREATE TABLE clinic (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE staff (
        id          TEXT PRIMARY KEY,
        clinic_id   TEXT NOT NULL REFERENCES clinic(id),
        name        TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('manager','therapist','assistant','front_desk')),
        verifier    TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
