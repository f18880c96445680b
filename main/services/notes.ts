import { ApiFailure } from '../../shared/api/index.js';
import { NOTE_TYPE_NAMES } from '../../shared/api/index.js';
import type { CallParsedInput, Note, NoteBody } from '../../shared/api/index.js';
import { StoredNoteBody } from '../../shared/ledger/kinds/notes.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import type { Db } from '../store/db.js';
import { addendaOf, notesOfPatient } from '../views/notes.js';
import { appointmentPatient } from '../views/schedule.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { recordRead, requirePatientKey } from './patients.js';
import { requireCare } from './care.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { zonedLabel } from '../../shared/time.js';

export interface NoteDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  /** The services' clock (consent periods, the care window and emergency accesses). */
  readonly now?: () => number;
}

/** The notes of one patient (or one note), newest first, with their addenda. */
function readNotes(db: Db, patientId: string, only: string | null = null): Note[] {
  return notesOfPatient(db, patientId, only).map((r) => {
    // The view holds the opened stored body; it is read with the stored-body schema, never the input's.
    const parsed = r.body === null ? null : StoredNoteBody.safeParse(JSON.parse(r.body));
    return {
      hash: r.hash,
      at: r.at,
      authorName: r.authorName,
      authorRole: r.authorRole,
      readable: parsed?.success === true,
      body: parsed?.success ? parsed.data : null,
      visitStart: r.visitStart,
      awaitingCosign: r.authorRole === 'assistant' && r.cosignHash === null,
      cosignedBy: r.cosignedName,
      cosignedAt: r.cosignedAt,
      addenda: addendaOf(db, r.hash),
    };
  });
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
  const key = requirePatientKey(deps, input.patientId);
  // Managers read notes without the care rule; clinicians within it or under an emergency access (docs/architecture.md#break-the-glass).
  requireCare(deps, input.patientId, ctx);
  recordRead(deps, key, input.patientId, 'clinical', ctx);
  return readNotes(deps.ledger.db, input.patientId);
}

/**
 * A visit usually has one note: a second one is most often meant as an addendum to the first
 * (docs/architecture.md#clinical-notes), so it is signed only when the author confirms it.
 */
function refuseSecondNote(db: Db, patientId: string, appointmentId: string): void {
  const existing = readNotes(db, patientId).filter((n) => n.body?.appointmentId === appointmentId);
  const first = existing.at(-1);
  if (!first) return;
  const what = first.body ? NOTE_TYPE_NAMES[first.body.type] : 'A note';
  throw new ApiFailure(
    'conflict',
    `This visit already has a signed note: ${what}, signed ${zonedLabel(first.at, clinicTimeZone(db))} by ${first.authorName ?? 'an unknown staff member'}` +
      `${existing.length > 1 ? ` (and ${String(existing.length - 1)} more)` : ''}. Add an addendum to that note instead, or confirm that this visit needs a second note.`,
  );
}

export function signNote(deps: NoteDeps, input: CallParsedInput<'notes.sign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note: NoteBody = input.note;
  if (note.appointmentId !== null && appointmentPatient(deps.ledger.db, note.appointmentId) !== input.patientId)
    throw new ApiFailure('invalid_input', 'That visit is not one of this patient’s. Choose one of their visits, or none.');
  if (note.appointmentId !== null && input.confirmSecondNote !== true) refuseSecondNote(deps.ledger.db, input.patientId, note.appointmentId);
  const hash = deps.ledger.append(sealedDraft(key, input.patientId, 'note.signed', note, by)).hash;
  return mustFindNote(deps.ledger.db, input.patientId, hash);
}

export function addAddendum(deps: NoteDeps, input: CallParsedInput<'notes.addendum'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (!note.readable) throw new ApiFailure('forbidden', 'This note cannot be opened on this computer, so it cannot be amended here.');
  deps.ledger.append(sealedDraft(key, input.patientId, 'note.addendum', { note: input.note, text: input.text }, by));
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}

export function cosignNote(deps: NoteDeps, input: CallParsedInput<'notes.cosign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (note.authorRole !== 'assistant')
    throw new ApiFailure('conflict', "Only an assistant's note needs a co-signature; this one was signed by a therapist.");
  if (!note.awaitingCosign) throw new ApiFailure('conflict', `This note is already co-signed${note.cosignedBy ? ` by ${note.cosignedBy}` : ''}.`);
  deps.ledger.append(sealedDraft(key, input.patientId, 'note.cosigned', { note: input.note }, by));
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}
