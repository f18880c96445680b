import type { Migration } from '../migration.js';

/** Rooms, appointment types and appointments (derived views). */
export const m0003Schedule: Migration = {
  version: 3,
  name: '0003_schedule',
  up(db) {
    db.exec(`
      CREATE TABLE view_rooms (
        room_id   TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        active    INTEGER NOT NULL,
        v_height  INTEGER NOT NULL,
        v_hash    TEXT NOT NULL
      ) STRICT;
      CREATE TABLE view_appointment_types (
        type_id   TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        minutes   INTEGER NOT NULL,
        category  TEXT NOT NULL,
        active    INTEGER NOT NULL,
        v_height  INTEGER NOT NULL,
        v_hash    TEXT NOT NULL
      ) STRICT;
      CREATE TABLE view_availability (
        therapist_id  TEXT PRIMARY KEY,
        weekly        TEXT NOT NULL,
        v_height      INTEGER NOT NULL,
        v_hash        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE view_timeoff (
        timeoff_id    TEXT PRIMARY KEY,
        therapist_id  TEXT NOT NULL,
        start         INTEGER NOT NULL,
        end           INTEGER NOT NULL,
        reason        TEXT NOT NULL,
        removed       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX view_timeoff_therapist ON view_timeoff (therapist_id, start);
      CREATE TABLE view_appointments (
        appointment_id  TEXT PRIMARY KEY,
        patient_id      TEXT NOT NULL,
        therapist_id    TEXT NOT NULL,
        room_id         TEXT,
        type_id         TEXT NOT NULL,
        start           INTEGER NOT NULL,
        end             INTEGER NOT NULL,
        series_id       TEXT,
        status          TEXT NOT NULL,
        status_reason   TEXT,
        p_height        INTEGER NOT NULL,
        p_hash          TEXT NOT NULL,
        s_height        INTEGER NOT NULL,
        s_hash          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX view_appointments_start ON view_appointments (start);
      CREATE INDEX view_appointments_therapist ON view_appointments (therapist_id, start);
      CREATE INDEX view_appointments_room ON view_appointments (room_id, start);
      CREATE INDEX view_appointments_patient ON view_appointments (patient_id, start);
      CREATE INDEX view_appointments_series ON view_appointments (series_id, start);
    `);
  },
};
