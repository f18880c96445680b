import type { Migration } from '../migration.js';

/**
 * Several data keys per patient (docs/architecture.md#key-rotation): every key with its id (`kid`), in the
 * order this device stored them (`n`; the newest seals new entries). `patient_keys` keeps the
 * patient's original key, which opens bodies written before key ids.
 */
export const m0010KeyVersions: Migration = {
  version: 10,
  name: '0010_key_versions',
  up(db) {
    db.exec(`
      CREATE TABLE patient_key_versions (
        n           INTEGER PRIMARY KEY,
        patient_id  TEXT NOT NULL,
        kid         TEXT NOT NULL,
        wrapped     BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        UNIQUE (patient_id, kid)
      ) STRICT;
    `);
  },
};
