import type { Migration } from '../migration.js';

/** Clinical notes and their addenda (derived views). */
export const m0008Notes: Migration = {
  version: 8,
  name: '0008_notes',
  up(db) {
    db.exec(`
      CREATE TABLE view_notes (
        hash            TEXT PRIMARY KEY,
        patient_id      TEXT NOT NULL,
        author_staff    TEXT,
        at              INTEGER NOT NULL,
        body            TEXT,
        appointment_id  TEXT,
        cosign_hash     TEXT,
        cosigned_by     TEXT,
        cosigned_at     INTEGER,
        c_height        INTEGER,
        v_height        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX view_notes_by_patient ON view_notes (patient_id, v_height);
      CREATE TABLE view_note_addenda (
        hash        TEXT PRIMARY KEY,
        note_hash   TEXT NOT NULL,
        staff_id    TEXT,
        at          INTEGER NOT NULL,
        text        TEXT NOT NULL,
        v_height    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX view_note_addenda_by_note ON view_note_addenda (note_hash, v_height);
    `);
  },
};
