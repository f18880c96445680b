import type { Db } from './db.js';
import { statement } from './statements.js';

/**
 * The `drafts` table (migration 0012, docs/architecture.md#drafts): notes being written, one per
 * author, patient and visit, kept on this computer only. Plain statements; sealing, ownership and
 * the care rule are the drafts service's (main/services/drafts.ts). Here, below the ledger, so that
 * destroying a patient's keys (erasure, a share that ended: main/ledger/consentLock.ts) can remove
 * their drafts in the same transaction.
 */
export interface DraftRow {
  readonly draftId: string;
  readonly staffId: string;
  readonly patientId: string;
  readonly appointmentId: string | null;
  readonly noteType: string;
  /** The sealed content as JSON (a SealedBody). */
  readonly body: string;
  readonly savedAt: number;
}

const COLUMNS =
  'draft_id AS draftId, staff_id AS staffId, patient_id AS patientId, appointment_id AS appointmentId, note_type AS noteType, body, saved_at AS savedAt';

/** A draft by id, whoever wrote it (the service checks the author). */
export function draftById(db: Db, draftId: string): DraftRow | null {
  return statement<[string], DraftRow>(db, `SELECT ${COLUMNS} FROM drafts WHERE draft_id = ?`).get(draftId) ?? null;
}

/** The author's draft for a patient and visit (null: a note without a visit). */
export function draftFor(db: Db, staffId: string, patientId: string, appointmentId: string | null): DraftRow | null {
  return (
    statement<[string, string, string], DraftRow>(
      db,
      `SELECT ${COLUMNS} FROM drafts WHERE staff_id = ? AND patient_id = ? AND ifnull(appointment_id, '') = ?`,
    ).get(staffId, patientId, appointmentId ?? '') ?? null
  );
}

/** The author's drafts, newest first. */
export function draftsOf(db: Db, staffId: string): DraftRow[] {
  return statement<[string], DraftRow>(db, `SELECT ${COLUMNS} FROM drafts WHERE staff_id = ? ORDER BY saved_at DESC, draft_id`).all(staffId);
}

/** Inserts a draft, or replaces every field of the one with its id. */
export function putDraft(db: Db, row: DraftRow): void {
  statement(
    db,
    `INSERT INTO drafts (draft_id, staff_id, patient_id, appointment_id, note_type, body, saved_at)
     VALUES (@draftId, @staffId, @patientId, @appointmentId, @noteType, @body, @savedAt)
     ON CONFLICT (draft_id) DO UPDATE SET staff_id = excluded.staff_id, patient_id = excluded.patient_id,
       appointment_id = excluded.appointment_id, note_type = excluded.note_type, body = excluded.body, saved_at = excluded.saved_at`,
  ).run(row);
}

/** Deletes the author's draft; false when there is none of theirs with that id. */
export function deleteDraft(db: Db, staffId: string, draftId: string): boolean {
  return statement<[string, string]>(db, 'DELETE FROM drafts WHERE draft_id = ? AND staff_id = ?').run(draftId, staffId).changes > 0;
}

/** Deletes every draft of a patient, whoever wrote it (their keys are being destroyed); returns how many. */
export function deletePatientDrafts(db: Db, patientId: string): number {
  return statement<[string]>(db, 'DELETE FROM drafts WHERE patient_id = ?').run(patientId).changes;
}
