import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { NoteDraft } from '../../shared/api/calls/charting.js';
import type { Draft } from '../../shared/api/calls/charting.js';
import { SealedBody } from '../../shared/ledger/kinds/patients.js';
import type { JsonValue } from '../ledger/crypto/index.js';
import { isErased } from '../ledger/erasure.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { openBody, sealBody } from '../ledger/seal.js';
import type { SealingKey } from '../ledger/seal.js';
import type { Db } from '../store/db.js';
import { deleteDraft, draftById, draftFor, draftsOf, putDraft } from '../store/drafts.js';
import type { DraftRow } from '../store/drafts.js';
import { findPatient } from '../views/patients.js';
import { appointmentPatient, findAppointment } from '../views/schedule.js';
import { requireCare } from './care.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { requirePatientKey } from './patients.js';

/**
 * Drafts of clinical notes (docs/architecture.md#drafts): the note a clinician is writing, saved
 * as they type so that a crash, an auto-lock or a closed window loses nothing. Never a ledger
 * entry (a draft is not the record and must be discardable): a row of the `drafts` table in the
 * encrypted database, its content sealed with the patient's key, visible to its author only.
 */
export interface DraftDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly now: () => number;
}

/** The largest draft kept, as JSON: far above any note (8,000 bytes), far below what would slow a save. */
export const DRAFT_MAX_BYTES = 64 * 1024;

/**
 * The AAD names of a draft's sealed content (sealBody binds its kind and stream): the draft's
 * id, author and patient, so a row whose content was copied into another draft, author or
 * patient does not open. Neither the kind nor the stream can be a ledger one (kinds are
 * enumerated, streams start `c:` or `p:`), so a draft's ciphertext never opens as an entry's.
 */
const DRAFT_KIND = 'note.draft';
const draftBinding = (draftId: string, staffId: string, patientId: string) => `draft:${draftId}:${staffId}:${patientId}`;

const NOT_YOURS = 'There is no such draft of yours for this patient: it was signed or discarded, perhaps in another window.';

function seal(row: Omit<DraftRow, 'body'>, content: NoteDraft, patientKey: SealingKey): DraftRow {
  const sealed = sealBody(patientKey.key, draftBinding(row.draftId, row.staffId, row.patientId), DRAFT_KIND, content, patientKey.kid);
  return { ...row, body: JSON.stringify(sealed) };
}

/**
 * The draft's content, or null when it can no longer be opened: the patient's record was erased,
 * this computer no longer holds the key its kid names (a share that ended), or the row does not
 * open or read as a draft of its own visit.
 */
function openDraft(db: Db, keystore: Keystore, row: DraftRow): NoteDraft | null {
  if (isErased(db, row.patientId)) return null;
  const sealed = SealedBody.safeParse(JSON.parse(row.body));
  if (!sealed.success) return null;
  const key = keystore.keyById(row.patientId, sealed.data.kid);
  if (!key) return null;
  let plain: JsonValue;
  try {
    plain = openBody(key, draftBinding(row.draftId, row.staffId, row.patientId), DRAFT_KIND, sealed.data);
  } catch {
    return null;
  }
  const content = NoteDraft.safeParse(plain);
  return content.success && content.data.appointmentId === row.appointmentId ? content.data : null;
}

/** Whether the key a draft's content names is still on this computer (cheaper than opening it, for the list). */
function stillOpens(db: Db, keystore: Keystore, row: DraftRow): boolean {
  if (isErased(db, row.patientId)) return false;
  const sealed = SealedBody.safeParse(JSON.parse(row.body));
  return sealed.success && keystore.keyById(row.patientId, sealed.data.kid) !== null;
}

/**
 * Keeps the note being written. One draft per author, patient and visit: saving again replaces
 * it and keeps its id. Each save is one transaction, durable when it returns (synchronous=FULL,
 * docs/architecture.md#killed-processes).
 */
export function saveDraft(deps: DraftDeps, input: CallParsedInput<'drafts.save'>, ctx: CallContext): CallOutput<'drafts.save'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const { patientId, content } = input;
  const key = requirePatientKey(deps, patientId);
  // The draft holds what the clinician is writing into the record, and may hold what the form
  // carried forward from it: the care rule applies as for the notes (docs/architecture.md#break-the-glass).
  requireCare(deps, patientId, ctx);
  if (content.appointmentId !== null && appointmentPatient(db, content.appointmentId) !== patientId)
    throw new ApiFailure('invalid_input', 'That visit is not one of this patient’s. Choose one of their visits, or none.');
  const bytes = Buffer.byteLength(JSON.stringify(content), 'utf8');
  if (bytes > DRAFT_MAX_BYTES)
    throw new ApiFailure(
      'invalid_input',
      `This draft is too large to keep (${String(Math.ceil(bytes / 1024))} KB; at most ${String(DRAFT_MAX_BYTES / 1024)} KB). Shorten it, or sign the note and add the rest as an addendum.`,
    );
  const savedAt = deps.now();
  return db
    .transaction(() => {
      const mine = draftFor(db, by, patientId, content.appointmentId);
      let draftId: string;
      if (input.draftId !== undefined) {
        const row = draftById(db, input.draftId);
        if (!row || row.staffId !== by || row.patientId !== patientId) throw new ApiFailure('not_found', NOT_YOURS);
        // The visit was changed in the form to one that already has another draft of theirs: keep both, say so.
        if (mine && mine.draftId !== row.draftId)
          throw new ApiFailure(
            'conflict',
            'You already have another draft for that visit. Resume it from your drafts, or discard it, before moving this one there.',
          );
        draftId = row.draftId;
      } else {
        draftId = mine?.draftId ?? randomBytes(16).toString('hex');
      }
      putDraft(db, seal({ draftId, staffId: by, patientId, appointmentId: content.appointmentId, noteType: content.type, savedAt }, content, key));
      return { draftId, savedAt };
    })
    .immediate();
}

/** The caller's draft for a patient's visit (or for the patient without a visit), opened; null when there is none. */
export function getDraft(deps: DraftDeps, input: CallParsedInput<'drafts.get'>, ctx: CallContext): Draft | null {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const row = draftFor(db, by, input.patientId, input.appointmentId);
  if (!row) return null;
  const content = openDraft(db, deps.keystore, row);
  if (!content) {
    // It can never be resumed: remove it rather than keep ciphertext nobody can open.
    deleteDraft(db, by, row.draftId);
    return null;
  }
  requireCare(deps, input.patientId, ctx);
  return { draftId: row.draftId, patientId: row.patientId, appointmentId: row.appointmentId, content, savedAt: row.savedAt };
}

/** The caller's drafts, newest first, with the patient's name and the visit's start. */
export function listDrafts(deps: DraftDeps, ctx: CallContext): CallOutput<'drafts.list'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const result: CallOutput<'drafts.list'> = [];
  for (const row of draftsOf(db, by)) {
    if (!stillOpens(db, deps.keystore, row)) {
      deleteDraft(db, by, row.draftId);
      continue;
    }
    const patient = findPatient(db, row.patientId);
    const visit = row.appointmentId === null ? null : findAppointment(db, row.appointmentId);
    result.push({
      draftId: row.draftId,
      patientId: row.patientId,
      patientName: patient?.familyName != null ? `${patient.familyName}, ${patient.givenName ?? ''}` : null,
      appointmentId: row.appointmentId,
      visitStart: visit?.start ?? null,
      type: row.noteType as CallOutput<'drafts.list'>[number]['type'],
      savedAt: row.savedAt,
    });
  }
  return result;
}

/** Discards one of the caller's drafts; with `secure_delete` on, its row is overwritten on disk. */
export function discardOwnDraft(deps: DraftDeps, input: CallParsedInput<'drafts.discard'>, ctx: CallContext): Record<string, never> {
  const by = actingStaff(ctx);
  if (!deleteDraft(deps.ledger.db, by, input.draftId))
    throw new ApiFailure('not_found', 'There is no such draft of yours: it was signed or discarded already, perhaps in another window.');
  return {};
}

/**
 * For signing (notes.sign with `draftId`): the author's draft becomes the signed note, so it is
 * deleted in the same transaction as the `note.signed` append. Nothing happens when there is no
 * such draft of theirs (already discarded in another window), so the signing never fails for it.
 */
export function discardDraft(db: Db, staffId: string, draftId: string): void {
  deleteDraft(db, staffId, draftId);
}
