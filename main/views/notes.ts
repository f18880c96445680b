import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * Clinical notes and episodes of care (main/ledger/domains/notes.ts). A signed note is one row and
 * never changes, except that its first co-signature in (height, hash) order is recorded on it.
 * Body and addendum text are the opened plaintexts (null when this computer has no key for the
 * patient); the episode, day of service, type and billing of a note are copied out of its body so
 * the chart and the billing day never parse every body (docs/architecture.md#episodes-of-care). An
 * episode is one row per (patient, episode id): the latest `episode.saved` in (height, hash) order.
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
    episode_id      TEXT,
    day             TEXT,
    note_type       TEXT,
    billing         TEXT,
    cosign_hash     TEXT,
    cosigned_by     TEXT,
    cosigned_at     INTEGER,
    c_height        INTEGER,
    v_height        INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_notes_by_patient ON view_notes (patient_id, v_height);
  CREATE INDEX view_notes_by_appointment ON view_notes (appointment_id, v_height);
  CREATE INDEX view_notes_awaiting_cosign ON view_notes (cosign_hash, v_height);
  CREATE TABLE view_note_addenda (
    hash        TEXT PRIMARY KEY,
    note_hash   TEXT NOT NULL,
    staff_id    TEXT,
    at          INTEGER NOT NULL,
    text        TEXT NOT NULL,
    v_height    INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_note_addenda_by_note ON view_note_addenda (note_hash, v_height);
  CREATE TABLE view_episodes (
    patient_id  TEXT NOT NULL,
    episode_id  TEXT NOT NULL,
    hash        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    saved_by    TEXT,
    start       TEXT NOT NULL,
    body        TEXT NOT NULL,
    v_height    INTEGER NOT NULL,
    v_hash      TEXT NOT NULL,
    PRIMARY KEY (patient_id, episode_id)
  ) STRICT;
`,
  tables: [
    {
      name: 'view_notes',
      key: 'hash',
      patient: 'patient_id = ?',
      sealed: ['body', 'appointment_id', 'episode_id', 'day', 'note_type', 'billing', 'cosign_hash', 'cosigned_by', 'cosigned_at', 'c_height'],
    },
    { name: 'view_note_addenda', key: 'hash', patient: 'note_hash IN (SELECT hash FROM view_notes WHERE patient_id = ?)', sealed: 'rows' },
    // The episode id is inside the sealed body: a row exists only where it could be opened.
    { name: 'view_episodes', key: 'patient_id, episode_id', patient: 'patient_id = ?', sealed: 'rows' },
  ],
};

export function insertNote(
  db: Db,
  n: {
    patientId: string | null;
    authorStaff: string | null;
    at: number;
    body: string | null;
    appointmentId: string | null;
    episodeId: string | null;
    /** The day of service (version-2 notes; null for version 1, whose day is the clinic day it was signed). */
    day: string | null;
    type: string | null;
    /** The sealed billing as JSON (StoredBilling), or null. */
    billing: string | null;
  },
  at: OrderKey,
): void {
  statement(
    db,
    `INSERT OR IGNORE INTO view_notes (hash, patient_id, author_staff, at, body, appointment_id, episode_id, day, note_type, billing, v_height)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(at.hash, n.patientId, n.authorStaff, n.at, n.body, n.appointmentId, n.episodeId, n.day, n.type, n.billing, at.height);
}

/** Records a saved episode: of several saves of one episode, the latest in (height, hash) order is the episode. */
export function putEpisode(
  db: Db,
  e: { patientId: string; episodeId: string; at: number; savedBy: string | null; start: string; body: string },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_episodes',
    'patient_id, episode_id',
    { patient_id: e.patientId, episode_id: e.episodeId, hash: at.hash, at: e.at, saved_by: e.savedBy, start: e.start, body: e.body },
    at,
  );
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

/** The patient's notes (or only the note `only`, or only the notes of the visit `visit`), newest first. */
export function notesOfPatient(db: Db, patientId: string, only: string | null = null, visit: string | null = null): NoteRow[] {
  return statement<[string, string | null, string | null, string | null, string | null], NoteRow>(
    db,
    `SELECT n.hash, n.at, n.body, a.name AS authorName, a.role AS authorRole, v.start AS visitStart,
            n.cosign_hash AS cosignHash, c.name AS cosignedName, n.cosigned_at AS cosignedAt
       FROM view_notes n
       LEFT JOIN view_staff a ON a.id = n.author_staff
       LEFT JOIN view_staff c ON c.id = n.cosigned_by
       LEFT JOIN view_appointments v ON v.appointment_id = n.appointment_id AND v.patient_id = n.patient_id
      WHERE n.patient_id = ? AND (? IS NULL OR n.hash = ?) AND (? IS NULL OR n.appointment_id = ?)
      ORDER BY n.v_height DESC, n.hash`,
  ).all(patientId, only, only, visit, visit);
}

/** A note's addenda, oldest first, with who wrote them. */
export function addendaOf(db: Db, noteHash: string): { hash: string; at: number; byName: string | null; text: string }[] {
  return statement<[string], { hash: string; at: number; byName: string | null; text: string }>(
    db,
    `SELECT d.hash, d.at, s.name AS byName, d.text FROM view_note_addenda d LEFT JOIN view_staff s ON s.id = d.staff_id
      WHERE d.note_hash = ? ORDER BY d.v_height, d.hash`,
  ).all(noteHash);
}

/** An episode as it now stands, with who saved this version. */
export interface EpisodeRow {
  readonly hash: string;
  readonly at: number;
  readonly savedByName: string | null;
  /** The opened episode as JSON (StoredEpisode). */
  readonly body: string;
}

/** The patient's episodes of care (or only `only`), newest first by start. */
export function episodesOfPatient(db: Db, patientId: string, only: string | null = null): EpisodeRow[] {
  return statement<[string, string | null, string | null], EpisodeRow>(
    db,
    `SELECT e.hash, e.at, s.name AS savedByName, e.body FROM view_episodes e LEFT JOIN view_staff s ON s.id = e.saved_by
      WHERE e.patient_id = ? AND (? IS NULL OR e.episode_id = ?)
      ORDER BY e.start DESC, e.episode_id`,
  ).all(patientId, only, only);
}

/**
 * Whether an assistant's note of the patient waits for a therapist's co-signature: supervising it
 * is care (docs/architecture.md#break-the-glass).
 */
export function awaitsCosign(db: Db, patientId: string): boolean {
  return (
    statement(
      db,
      `SELECT 1 FROM view_notes n JOIN view_staff a ON a.id = n.author_staff
        WHERE n.patient_id = ? AND n.cosign_hash IS NULL AND a.role = 'assistant' LIMIT 1`,
    ).get(patientId) !== undefined
  );
}

/**
 * Notes by this clinic's assistants awaiting a co-signature, oldest first by when they were signed
 * (notes of different patients' streams have no common height): the patient (with their name as
 * this computer holds it) and the note's hash.
 */
export function notesAwaitingCosign(db: Db, clinicId: string): { patientId: string; patientName: string | null; hash: string }[] {
  return statement<[string], { patientId: string; patientName: string | null; hash: string }>(
    db,
    `SELECT n.patient_id AS patientId, n.hash, CASE WHEN p.given IS NULL THEN NULL ELSE p.family || ', ' || p.given END AS patientName
       FROM view_notes n JOIN view_staff a ON a.id = n.author_staff LEFT JOIN view_patients p ON p.patient_id = n.patient_id
      WHERE n.cosign_hash IS NULL AND a.role = 'assistant' AND a.clinic_id = ? AND n.patient_id IS NOT NULL
      ORDER BY n.at, n.hash`,
  ).all(clinicId);
}

/** A visit's note as the billing day shows it: never its text. */
export interface VisitNoteRow {
  readonly hash: string;
  readonly patientId: string | null;
  /** The note type (null when this computer cannot open the note). */
  readonly type: string | null;
  readonly authorName: string | null;
  readonly authorRole: string | null;
  readonly cosignHash: string | null;
  /** The sealed billing as JSON (StoredBilling), or null. */
  readonly billing: string | null;
}

/** The first signed note of each of these visits (in (height, hash) order): what the billing day shows. */
export function firstNotesOfVisits(db: Db, appointmentIds: readonly string[]): Map<string, VisitNoteRow> {
  const query = statement<[string], VisitNoteRow>(
    db,
    `SELECT n.hash, n.patient_id AS patientId, n.note_type AS type, a.name AS authorName, a.role AS authorRole, n.cosign_hash AS cosignHash, n.billing
       FROM view_notes n LEFT JOIN view_staff a ON a.id = n.author_staff
      WHERE n.appointment_id = ? ORDER BY n.v_height, n.hash LIMIT 1`,
  );
  const found = new Map<string, VisitNoteRow>();
  for (const id of appointmentIds) {
    const row = query.get(id);
    if (row) found.set(id, row);
  }
  return found;
}
