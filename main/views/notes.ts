import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * Clinical notes (main/ledger/domains/notes.ts). A signed note is one row and never changes,
 * except that its first co-signature in (height, hash) order is recorded on it. Body and addendum
 * text are the opened plaintexts (null when this computer has no key for the patient).
 */
export const NOTE_VIEWS: ViewSet = {
  sql: `
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
`,
  tables: [
    {
      name: 'view_notes',
      key: 'hash',
      patient: 'patient_id = ?',
      sealed: ['body', 'appointment_id', 'cosign_hash', 'cosigned_by', 'cosigned_at', 'c_height'],
    },
    { name: 'view_note_addenda', key: 'hash', patient: 'note_hash IN (SELECT hash FROM view_notes WHERE patient_id = ?)', sealed: 'rows' },
  ],
};

export function insertNote(
  db: Db,
  n: { patientId: string | null; authorStaff: string | null; at: number; body: string | null; appointmentId: string | null },
  at: OrderKey,
): void {
  statement(
    db,
    'INSERT OR IGNORE INTO view_notes (hash, patient_id, author_staff, at, body, appointment_id, v_height) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(at.hash, n.patientId, n.authorStaff, n.at, n.body, n.appointmentId, at.height);
}

export function noteExists(db: Db, noteHash: string): boolean {
  return statement(db, 'SELECT 1 FROM view_notes WHERE hash = ?').get(noteHash) !== undefined;
}

export function insertAddendum(db: Db, a: { noteHash: string; staffId: string | null; at: number; text: string }, at: OrderKey): void {
  statement(db, 'INSERT OR IGNORE INTO view_note_addenda (hash, note_hash, staff_id, at, text, v_height) VALUES (?, ?, ?, ?, ?, ?)').run(
    at.hash,
    a.noteHash,
    a.staffId,
    a.at,
    a.text,
    at.height,
  );
}

/** Records a co-signature; of several, the first in (height, hash) order counts, whatever order they arrive in. */
export function setCosign(db: Db, noteHash: string, c: { by: string | null; at: number }, at: OrderKey): void {
  statement(
    db,
    `UPDATE view_notes SET cosign_hash = ?, cosigned_by = ?, cosigned_at = ?, c_height = ?
      WHERE hash = ? AND (cosign_hash IS NULL OR (c_height, cosign_hash) > (?, ?))`,
  ).run(at.hash, c.by, c.at, at.height, noteHash, at.height, at.hash);
}

/** A note with the names shown beside it and the start of the visit it documents (when this computer knows it). */
export interface NoteRow {
  readonly hash: string;
  readonly at: number;
  /** The opened note as JSON (StoredNoteBody), or null. */
  readonly body: string | null;
  readonly authorName: string | null;
  readonly authorRole: string | null;
  readonly visitStart: number | null;
  readonly cosignHash: string | null;
  readonly cosignedName: string | null;
  readonly cosignedAt: number | null;
}

/** The patient's notes (or only the note `only`), newest first. */
export function notesOfPatient(db: Db, patientId: string, only: string | null = null): NoteRow[] {
  return statement<[string, string | null, string | null], NoteRow>(
    db,
    `SELECT n.hash, n.at, n.body, a.name AS authorName, a.role AS authorRole, v.start AS visitStart,
            n.cosign_hash AS cosignHash, c.name AS cosignedName, n.cosigned_at AS cosignedAt
       FROM view_notes n
       LEFT JOIN view_staff a ON a.id = n.author_staff
       LEFT JOIN view_staff c ON c.id = n.cosigned_by
       LEFT JOIN view_appointments v ON v.appointment_id = n.appointment_id AND v.patient_id = n.patient_id
      WHERE n.patient_id = ? AND (? IS NULL OR n.hash = ?)
      ORDER BY n.v_height DESC, n.hash`,
  ).all(patientId, only, only);
}

/** A note's addenda, oldest first, with who wrote them. */
export function addendaOf(db: Db, noteHash: string): { hash: string; at: number; byName: string | null; text: string }[] {
  return statement<[string], { hash: string; at: number; byName: string | null; text: string }>(
    db,
    `SELECT d.hash, d.at, s.name AS byName, d.text FROM view_note_addenda d LEFT JOIN view_staff s ON s.id = d.staff_id
      WHERE d.note_hash = ? ORDER BY d.v_height, d.hash`,
  ).all(noteHash);
}
