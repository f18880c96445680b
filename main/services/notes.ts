import { ApiFailure, NoteBody as NoteBodySchema } from '../../shared/api/index.js';
import type { CallParsedInput, Note, NoteBody } from '../../shared/api/index.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { sealBody } from '../ledger/seal.js';
import type { JsonValue } from '../ledger/crypto/index.js';
import type { Db } from '../store/db.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { recordRead, requirePatientKey } from './patients.js';

export interface NoteDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
}

interface NoteRow {
  hash: string;
  at: number;
  body: string | null;
  author_name: string | null;
  author_role: string | null;
  visit_start: number | null;
  cosign_hash: string | null;
  cosigned_name: string | null;
  cosigned_at: number | null;
}

/** The notes of one patient (or one note), newest first, with their addenda. */
function readNotes(db: Db, patientId: string, only: string | null = null): Note[] {
  const rows = db
    .prepare<[string, string | null, string | null], NoteRow>(
      `SELECT n.hash, n.at, n.body, a.name AS author_name, a.role AS author_role, v.start AS visit_start,
              n.cosign_hash, c.name AS cosigned_name, n.cosigned_at
         FROM view_notes n
         LEFT JOIN view_staff a ON a.id = n.author_staff
         LEFT JOIN view_staff c ON c.id = n.cosigned_by
         LEFT JOIN view_appointments v ON v.appointment_id = n.appointment_id AND v.patient_id = n.patient_id
        WHERE n.patient_id = ? AND (? IS NULL OR n.hash = ?)
        ORDER BY n.v_height DESC, n.hash`,
    )
    .all(patientId, only, only);
  const addenda = db.prepare<[string], { hash: string; at: number; byName: string | null; text: string }>(
    `SELECT d.hash, d.at, s.name AS byName, d.text FROM view_note_addenda d LEFT JOIN view_staff s ON s.id = d.staff_id
      WHERE d.note_hash = ? ORDER BY d.v_height, d.hash`,
  );
  return rows.map((r) => {
    const parsed = r.body === null ? null : NoteBodySchema.safeParse(JSON.parse(r.body));
    return {
      hash: r.hash,
      at: r.at,
      authorName: r.author_name,
      authorRole: r.author_role,
      readable: parsed?.success === true,
      body: parsed?.success ? parsed.data : null,
      visitStart: r.visit_start,
      awaitingCosign: r.author_role === 'assistant' && r.cosign_hash === null,
      cosignedBy: r.cosigned_name,
      cosignedAt: r.cosigned_at,
      addenda: addenda.all(r.hash),
    };
  });
}

const clinicalStream = (patientId: string) => `p:${patientId}/clinical`;

function append(
  deps: NoteDeps,
  key: Buffer,
  patientId: string,
  kind: 'note.signed' | 'note.addendum' | 'note.cosigned',
  by: string,
  body: JsonValue,
): string {
  const stream = clinicalStream(patientId);
  return deps.ledger.append({ stream, kind, by, body: sealBody(key, stream, kind, body) }).hash;
}

function mustFindNote(db: Db, patientId: string, hash: string): Note {
  const note = readNotes(db, patientId, hash)[0];
  if (!note) throw new ApiFailure('not_found', 'There is no such note for this patient.');
  return note;
}

/**
 * A patient's clinical notes. Reading them is itself recorded (docs/architecture.md#access-audit): one
 * sealed `access.read` entry naming what was read.
 */
export function listNotes(deps: NoteDeps, input: CallParsedInput<'notes.list'>, ctx: CallContext): Note[] {
  recordRead(deps, requirePatientKey(deps, input.patientId), input.patientId, 'clinical', ctx);
  return readNotes(deps.ledger.db, input.patientId);
}

export function signNote(deps: NoteDeps, input: CallParsedInput<'notes.sign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note: NoteBody = input.note;
  if (note.appointmentId !== null) {
    const visit = deps.ledger.db
      .prepare<[string], { patient_id: string }>('SELECT patient_id FROM view_appointments WHERE appointment_id = ?')
      .get(note.appointmentId);
    if (visit?.patient_id !== input.patientId)
      throw new ApiFailure('invalid_input', 'That visit is not one of this patient’s. Choose one of their visits, or none.');
  }
  const hash = append(deps, key, input.patientId, 'note.signed', by, note);
  return mustFindNote(deps.ledger.db, input.patientId, hash);
}

export function addAddendum(deps: NoteDeps, input: CallParsedInput<'notes.addendum'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (!note.readable) throw new ApiFailure('forbidden', 'This note cannot be opened on this computer, so it cannot be amended here.');
  append(deps, key, input.patientId, 'note.addendum', by, { note: input.note, text: input.text });
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}

export function cosignNote(deps: NoteDeps, input: CallParsedInput<'notes.cosign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (note.authorRole !== 'assistant')
    throw new ApiFailure('conflict', "Only an assistant's note needs a co-signature; this one was signed by a therapist.");
  if (!note.awaitingCosign) throw new ApiFailure('conflict', `This note is already co-signed${note.cosignedBy ? ` by ${note.cosignedBy}` : ''}.`);
  append(deps, key, input.patientId, 'note.cosigned', by, { note: input.note });
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}
