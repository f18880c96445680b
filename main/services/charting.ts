import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { BillingRow, CallParsedInput, Chart, CosignItem, Episode } from '../../shared/api/index.js';
import { NOTE_TYPES, StoredBilling, StoredEpisode } from '../../shared/ledger/kinds/notes.js';
import { instantAt } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import type { Db } from '../store/db.js';
import { episodesOfPatient, firstNotesOfVisits, notesAwaitingCosign } from '../views/notes.js';
import type { EpisodeRow } from '../views/notes.js';
import { appointmentsBetween } from '../views/schedule.js';
import { requireCare } from './care.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';
import type { NoteDeps } from './notes.js';
import { findEpisode, readNotes } from './notes.js';
import { recordRead, requirePatientKey } from './patients.js';

/** A new episode or goal id: 16 random bytes, hex (unguessable, and unique across computers without asking). */
const newId = () => randomBytes(16).toString('hex');

function toEpisode(row: EpisodeRow): Episode {
  const parsed = StoredEpisode.safeParse(JSON.parse(row.body));
  return { hash: row.hash, at: row.at, savedByName: row.savedByName, readable: parsed.success, episode: parsed.success ? parsed.data : null };
}

/**
 * A patient's chart (docs/architecture.md#episodes-of-care): their episodes of care, newest first by
 * start, and every signed note as notes.list gives them. Reading it is one recorded reading of the
 * clinical record, like notes.list; a therapist supervising an assistant's note is in its care.
 */
export function getChart(deps: NoteDeps, input: CallParsedInput<'chart.get'>, ctx: CallContext): Chart {
  const key = requirePatientKey(deps, input.patientId);
  requireCare(deps, input.patientId, ctx, { supervision: true });
  recordRead(deps, key, input.patientId, 'clinical', ctx);
  const db = deps.ledger.db;
  return { episodes: episodesOfPatient(db, input.patientId).map(toEpisode), notes: readNotes(db, input.patientId) };
}

/**
 * Opens an episode of care or saves a changed one (docs/architecture.md#episodes-of-care): the
 * whole episode is sealed into one `episode.saved`; of two saves, the later in (height, hash) order
 * is the episode. New episodes and goals get fresh ids; a goal keeps its id across saves, so the
 * statuses notes set stay attached to it.
 */
export function saveEpisode(deps: NoteDeps, input: CallParsedInput<'episodes.save'>, ctx: CallContext): Episode {
  const by = actingStaff(ctx);
  const key = requirePatientKey(deps, input.patientId);
  // Planning a patient's care needs them in your care (docs/architecture.md#break-the-glass).
  requireCare(deps, input.patientId, ctx);
  const db = deps.ledger.db;
  const given = input.episode;
  const existing = given.episode === undefined ? null : findEpisode(db, input.patientId, given.episode);
  if (given.episode !== undefined && !existing)
    throw new ApiFailure('not_found', 'There is no such episode of care for this patient. Reload the chart and try again.');
  const known = new Set(existing?.goals.map((g) => g.id) ?? []);
  for (const goal of given.goals)
    if (goal.id !== undefined && !known.has(goal.id))
      throw new ApiFailure('invalid_input', `The goal “${goal.text}” is not one of this episode’s goals. Leave its id out to add it as a new goal.`);
  const ids = new Set<string>();
  for (const goal of given.goals) {
    if (goal.id !== undefined && ids.has(goal.id)) throw new ApiFailure('invalid_input', `The goal “${goal.text}” is listed twice.`);
    if (goal.id !== undefined) ids.add(goal.id);
  }
  const episode: StoredEpisode = StoredEpisode.parse({
    episode: existing?.episode ?? newId(),
    referral: given.referral,
    diagnoses: given.diagnoses,
    bodyRegion: given.bodyRegion,
    start: given.start,
    end: given.end,
    plan: given.plan,
    payer: given.payer,
    goals: given.goals.map((g) => ({
      id: g.id ?? newId(),
      term: g.term,
      text: g.text,
      target: g.target,
      targetDate: g.targetDate,
      status: g.status,
    })),
  });
  deps.ledger.append(sealedDraft(key, input.patientId, 'episode.saved', episode, by));
  const row = episodesOfPatient(db, input.patientId, episode.episode)[0];
  if (!row) throw new ApiFailure('internal', 'The episode was saved but cannot be read back.');
  return toEpisode(row);
}

/**
 * The co-signature queue (docs/architecture.md#episodes-of-care): this clinic's assistants'
 * notes awaiting a therapist's co-signature, oldest first, of the patients whose key this computer
 * holds (only those can be opened and co-signed here).
 */
export function cosignQueue(deps: NoteDeps): CosignItem[] {
  const db = deps.ledger.db;
  const items: CosignItem[] = [];
  for (const row of notesAwaitingCosign(db, requireClinicId(db))) {
    if (!deps.keystore.hasKey(row.patientId)) continue;
    const note = readNotes(db, row.patientId, row.hash)[0];
    if (note) items.push({ patientId: row.patientId, patientName: row.patientName, note });
  }
  return items;
}

const noteType = (type: string | null) => NOTE_TYPES.find((t) => t === type) ?? null;

/**
 * The billing day (docs/architecture.md#billing-units): the clinic-local day's visits with this
 * clinic's clinicians, each with the CPT codes and units its first signed note bills. The row holds
 * no note text: the front desk bills from it without reading the record.
 */
export function billingDay(db: Db, input: CallParsedInput<'billing.day'>): BillingRow[] {
  const zone = clinicTimeZone(db);
  const from = instantAt(input.date, '00:00', zone);
  const to = nextDayStart(input.date, zone);
  const visits = appointmentsBetween(db, { from, to, clinicId: requireClinicId(db) }).filter((v) => v.start >= from);
  const notes = firstNotesOfVisits(
    db,
    visits.map((v) => v.appointmentId),
  );
  return visits.map((v) => {
    const n = notes.get(v.appointmentId);
    const type = noteType(n?.type ?? null);
    const billing = n?.billing ? StoredBilling.safeParse(JSON.parse(n.billing)) : null;
    return {
      appointmentId: v.appointmentId,
      patientId: v.patientId,
      patientName: v.patientName,
      start: v.start,
      clinicianName: v.therapistName,
      status: v.status,
      note:
        n && n.patientId === v.patientId && type
          ? {
              hash: n.hash,
              type,
              authorName: n.authorName,
              awaitingCosign: n.authorRole === 'assistant' && n.cosignHash === null,
              billing: billing?.success ? billing.data : null,
            }
          : null,
    };
  });
}

/** The first instant of the clinic-local day after `date` (a day is not always 24 hours). */
function nextDayStart(date: string, zone: string): number {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return instantAt(next, '00:00', zone);
}
