import { ApiFailure, NOTE_MAX_BYTES, tooLong } from '../../shared/api/index.js';
import { NOTE_TYPE_NAMES } from '../../shared/api/index.js';
import type { CallParsedInput, Note, NoteBody } from '../../shared/api/index.js';
import { billUnits } from '../../shared/charting/billing.js';
import { chartNote } from '../../shared/charting/note.js';
import { sealNoteScores, StoredChartNote, StoredEpisode, StoredNoteV1 } from '../../shared/ledger/kinds/notes.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Draft, Ledger } from '../ledger/ledger.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import type { Db } from '../store/db.js';
import { addendaOf, episodesOfPatient, notesOfPatient } from '../views/notes.js';
import { findAppointment } from '../views/schedule.js';
import type { CallContext } from './context.js';
import { actingStaff } from './guards.js';
import { recordRead, requirePatientKey } from './patients.js';
import { requireCare } from './care.js';
import { discardDraft } from './drafts.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { wallClock, zonedLabel } from '../../shared/time.js';

export interface NoteDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  /** The services' clock (consent periods, the care window and emergency accesses). */
  readonly now?: () => number;
}

/**
 * The notes of one patient (or one note), newest first, with their addenda. Every note reads in
 * the version-2 shape: a version-1 note through chartNote, on the clinic day it was signed
 * (docs/architecture.md#clinical-notes).
 */
export function readNotes(db: Db, patientId: string, only: string | null = null, visit: string | null = null): Note[] {
  const zone = clinicTimeZone(db);
  return notesOfPatient(db, patientId, only, visit).map((r) => {
    const body = r.body === null ? null : openedNote(r.body, () => wallClock(r.at, zone).date);
    return {
      hash: r.hash,
      at: r.at,
      authorName: r.authorName,
      authorRole: r.authorRole,
      readable: body !== null,
      body,
      visitStart: r.visitStart,
      awaitingCosign: r.authorRole === 'assistant' && r.cosignHash === null,
      cosignedBy: r.cosignedName,
      cosignedAt: r.cosignedAt,
      addenda: addendaOf(db, r.hash),
    };
  });
}

/**
 * A note body as the view holds it, in the version-2 shape. The reducer stored it only after
 * opening it and checking it against the stored-body schema (openEntryBody), and the dispatcher
 * checks every reply against the contract, so a version-2 body is not parsed a third time here
 * (a chart of 300 visits spent a fifth of its time doing that, docs/benchmarks.md); a version-1
 * body is parsed as such and read through chartNote on the clinic day it was signed.
 */
function openedNote(json: string, signedDay: () => string): StoredChartNote | null {
  const raw = JSON.parse(json) as { v?: unknown };
  if (raw.v === 2) return raw as StoredChartNote;
  const v1 = StoredNoteV1.safeParse(raw);
  return v1.success ? chartNote(v1.data, signedDay()) : null;
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
  requireCare(deps, input.patientId, ctx, { supervision: true });
  recordRead(deps, key, input.patientId, 'clinical', ctx);
  return readNotes(deps.ledger.db, input.patientId);
}

/**
 * A visit usually has one note: a second one is most often meant as an addendum to the first
 * (docs/architecture.md#clinical-notes), so it is signed only when the author confirms it.
 */
function refuseSecondNote(db: Db, patientId: string, appointmentId: string): void {
  // The view keeps each note's visit (only where the note opens here), so only that visit's notes are read.
  const existing = readNotes(db, patientId, null, appointmentId);
  const first = existing.at(-1);
  if (!first) return;
  const what = first.body ? NOTE_TYPE_NAMES[first.body.type] : 'A note';
  throw new ApiFailure(
    'conflict',
    `This visit already has a signed note: ${what}, signed ${zonedLabel(first.at, clinicTimeZone(db))} by ${first.authorName ?? 'an unknown staff member'}` +
      `${existing.length > 1 ? ` (and ${String(existing.length - 1)} more)` : ''}. Add an addendum to that note instead, or confirm that this visit needs a second note.`,
  );
}

/** An episode of the patient as it now stands, or null when there is none with that id (or it cannot be opened here). */
export function findEpisode(db: Db, patientId: string, episodeId: string): StoredEpisode | null {
  const row = episodesOfPatient(db, patientId, episodeId)[0];
  if (!row) return null;
  const parsed = StoredEpisode.safeParse(JSON.parse(row.body));
  return parsed.success ? parsed.data : null;
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Signs a note (docs/architecture.md#clinical-notes, #episodes-of-care, #billing-units). The
 * service fixes what the client never sends: the day of service (the visit's clinic-local day, else
 * today in the clinic's zone, unless the author gave one), the measures' dates (that day unless
 * given), and the billing units under the episode payer's rule (cms8 without an episode). A
 * progress note or discharge summary that sets goal statuses also saves the episode with them, and
 * a discharge summary ends the episode on its day: one step with the note (appendMany), with the
 * author's draft discarded in the same transaction.
 */
export function signNote(deps: NoteDeps, input: CallParsedInput<'notes.sign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const key = requirePatientKey(deps, input.patientId);
  const note: NoteBody = input.note;
  // A note in an episode reads and changes the episode (its goals, its end): that needs the
  // patient in the writer's care, as reading it does (docs/architecture.md#break-the-glass).
  if (note.episodeId !== null) requireCare(deps, input.patientId, ctx);
  // An assistant treats and documents under a therapist's plan; evaluating and discharging are the
  // therapist's (docs/architecture.md#note-types).
  if (ctx.session?.role === 'assistant' && (note.type === 'evaluation' || note.type === 'discharge'))
    throw new ApiFailure(
      'forbidden',
      `Only a therapist signs ${note.type === 'evaluation' ? 'an initial evaluation' : 'a discharge summary'}. Write a daily or progress note, or ask the patient’s therapist.`,
    );
  // Units are billed for a date of service with the patient: a note that bills names its visit, so
  // the billing day lists it (docs/architecture.md#billing-day).
  if (note.interventions.length > 0 && note.appointmentId === null)
    throw new ApiFailure('invalid_input', 'Billing minutes belong to a visit: choose the visit this note documents, or remove the interventions.');
  const visit = note.appointmentId === null ? null : findAppointment(db, note.appointmentId);
  if (note.appointmentId !== null && visit?.patientId !== input.patientId)
    throw new ApiFailure('invalid_input', 'That visit is not one of this patient’s. Choose one of their visits, or none.');
  const zone = clinicTimeZone(db);
  const day = note.date ?? wallClock(visit?.start ?? deps.now?.() ?? Date.now(), zone).date;

  const episode = note.episodeId === null ? null : findEpisode(db, input.patientId, note.episodeId);
  if (note.episodeId !== null && !episode)
    throw new ApiFailure('not_found', 'There is no such episode of care for this patient. Choose one of their episodes, or open a new one.');
  if (episode?.end != null)
    throw new ApiFailure(
      'conflict',
      `This episode of care ended on ${episode.end}. Sign the note in an open episode, or open a new one (a late entry to the ended episode is an addendum).`,
    );
  if (note.goals.length > 0) {
    if (!episode) throw new ApiFailure('invalid_input', 'Goal statuses belong to an episode of care: choose the episode this note is part of.');
    if (note.type !== 'progress' && note.type !== 'discharge')
      throw new ApiFailure('invalid_input', 'Only a progress note or a discharge summary updates the goals’ statuses.');
    const known = new Set(episode.goals.map((g) => g.id));
    if (note.goals.some((g) => !known.has(g.goal)))
      throw new ApiFailure('invalid_input', 'A goal status names a goal that is not one of this episode’s goals. Reload the episode and try again.');
  }
  if (episode && day < episode.start)
    throw new ApiFailure('invalid_input', `The day of service (${day}) is before the episode of care starts (${episode.start}).`);

  const billed = note.interventions.length === 0 ? null : billUnits(note.interventions, episode?.payer.rule ?? 'cms8');
  const stored: StoredChartNote = StoredChartNote.parse({
    v: 2,
    type: note.type,
    appointmentId: note.appointmentId,
    episodeId: note.episodeId,
    date: day,
    sections: note.sections,
    measures: note.measures.map((m) => ({ ...m, date: m.date ?? day })),
    goals: note.goals,
    billing: billed && {
      rule: billed.rule,
      lines: billed.lines.map((l) => ({ code: l.code, minutes: l.minutes, timed: l.timed, units: l.units })),
      totalTimedMinutes: billed.totalTimedMinutes,
      totalUnits: billed.totalUnits,
    },
  });
  // The whole stored note, as sealed, must fit one entry (the input schema checked the input only).
  const sealed = sealNoteScores(stored);
  const bytes = utf8Bytes(JSON.stringify(sealed));
  if (bytes > NOTE_MAX_BYTES) throw new ApiFailure('invalid_input', tooLong(bytes));

  const drafts: Draft[] = [sealedDraft(key, input.patientId, 'note.signed', sealed, by)];
  const updated = episode && episodeAfter(episode, stored);
  if (updated) {
    if (ctx.session?.role !== 'therapist')
      throw new ApiFailure(
        'forbidden',
        note.type === 'discharge'
          ? 'Only a therapist discharges a patient from an episode of care.'
          : 'Only a therapist updates the goals of an episode of care.',
      );
    drafts.push(sealedDraft(key, input.patientId, 'episode.saved', updated, by));
  }
  if (note.appointmentId !== null && input.confirmSecondNote !== true) refuseSecondNote(db, input.patientId, note.appointmentId);
  const hash = db
    .transaction(() => {
      const [signed] = deps.ledger.appendMany(drafts);
      if (input.draftId !== undefined) discardDraft(db, by, input.draftId);
      return (signed as { hash: string }).hash;
    })
    .immediate();
  return mustFindNote(db, input.patientId, hash);
}

/**
 * The episode as a progress note or discharge summary leaves it: the goals it names take its
 * statuses, and a discharge summary ends the episode on its day of service. Null when the note
 * changes nothing (a daily note, an evaluation, a progress note without statuses).
 */
function episodeAfter(episode: StoredEpisode, note: StoredChartNote): StoredEpisode | null {
  if (note.type !== 'progress' && note.type !== 'discharge') return null;
  if (note.type === 'progress' && note.goals.length === 0) return null;
  const statuses = new Map(note.goals.map((g) => [g.goal, g.status]));
  return {
    ...episode,
    end: note.type === 'discharge' ? note.date : episode.end,
    goals: episode.goals.map((g) => ({ ...g, status: statuses.get(g.id) ?? g.status })),
  };
}

export function addAddendum(deps: NoteDeps, input: CallParsedInput<'notes.addendum'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  // The reply is the whole note: amending needs the standing reading does (docs/architecture.md#break-the-glass).
  requireCare(deps, input.patientId, ctx, { supervision: true });
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (!note.readable) throw new ApiFailure('forbidden', 'This note cannot be opened on this computer, so it cannot be amended here.');
  deps.ledger.append(sealedDraft(key, input.patientId, 'note.addendum', { note: input.note, text: input.text }, by));
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}

export function cosignNote(deps: NoteDeps, input: CallParsedInput<'notes.cosign'>, ctx: CallContext): Note {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  // Supervising an assistant's note is care (docs/architecture.md#break-the-glass).
  requireCare(deps, input.patientId, ctx, { supervision: true });
  const note = mustFindNote(deps.ledger.db, input.patientId, input.note);
  if (note.authorRole !== 'assistant')
    throw new ApiFailure('conflict', "Only an assistant's note needs a co-signature; this one was signed by a therapist.");
  if (!note.awaitingCosign) throw new ApiFailure('conflict', `This note is already co-signed${note.cosignedBy ? ` by ${note.cosignedBy}` : ''}.`);
  deps.ledger.append(sealedDraft(key, input.patientId, 'note.cosigned', { note: input.note }, by));
  return mustFindNote(deps.ledger.db, input.patientId, input.note);
}
