import type { Migration } from '../migration.js';

/** The clinic's time zone (derived view). */
export const m0009TimeZone: Migration = {
  version: 9,
  name: '0009_time_zone',
  up(db) {
    db.exec(`
      CREATE TABLE view_time_zone (
        clinic_id     TEXT PRIMARY KEY,
        time_zone     TEXT NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL
      ) STRICT;
    `);
  },
};
