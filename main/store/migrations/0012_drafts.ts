import type { Migration } from '../migration.js';

/**
 * Drafts of clinical notes (docs/architecture.md#drafts): what a clinician is writing, kept on
 * this computer only and never in the ledger, so a stored table and not a view (nothing derives
 * it, a rebuild never touches it, sync never sends it). One draft per author, patient and visit
 * (`appointment_id` NULL: a note without a visit); `body` is the sealed content (AES-256-GCM
 * under the patient's key, so destroying the key shreds it), `note_type` and `saved_at` are in
 * clear (inside the encrypted database) so the author's list needs no key.
 */
export const m0012Drafts: Migration = {
  version: 12,
  name: '0012_drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        draft_id        TEXT PRIMARY KEY,
        staff_id        TEXT NOT NULL,
        patient_id      TEXT NOT NULL,
        appointment_id  TEXT,
        note_type       TEXT NOT NULL,
        body            TEXT NOT NULL,
        saved_at        INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX drafts_one_per_visit ON drafts (staff_id, patient_id, ifnull(appointment_id, ''));
      CREATE INDEX drafts_patient ON drafts (patient_id);
      CREATE INDEX drafts_staff_saved ON drafts (staff_id, saved_at);
    `);
  },
};
