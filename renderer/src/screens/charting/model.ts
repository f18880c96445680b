// The note form's pure logic (docs/architecture.md#note-types): what the form holds, how it
// becomes a draft (drafts.save), a draft becomes the form again, the form becomes the note that is
// signed, and how the previous note's measures carry forward. No React and no clock: the callers
// pass today's date, so the tests pin every rule.
import { addDays, differenceInCalendarDays, format, isValid, parse } from 'date-fns';
import type { z } from 'zod';
import type { Appointment, Episode, MeasureInput, Note, NoteDraft, NoteType } from '../../../../shared/api/index.js';
import { billUnits, cptCode } from '../../../../shared/charting/billing.js';
import type { Billing, BillingRule } from '../../../../shared/charting/billing.js';
import { SIDES } from '../../../../shared/charting/common.js';
import type { Side } from '../../../../shared/charting/common.js';
import { NOTE_TEMPLATES } from '../../../../shared/charting/note.js';
import type { MmtGrade } from '../../../../shared/charting/mmt.js';
import { INSTRUMENTS, OUTCOME_INSTRUMENTS, scoreOutcome } from '../../../../shared/charting/outcomes.js';
import type { OutcomeInstrument } from '../../../../shared/charting/outcomes.js';
import { romNormal } from '../../../../shared/charting/rom.js';
import type { GoalStatus, NoteSection, StoredEpisode, StoredMeasure } from '../../../../shared/ledger/kinds/notes.js';
import { GOAL_STATUSES, NOTE_SECTIONS } from '../../../../shared/ledger/kinds/notes.js';
import { wallClock } from '../../../../shared/time.js';

/** A side as chosen in a select: '' until one is chosen. */
export type SideChoice = Side | '';

/**
 * One measure row as typed: numbers stay the text that was typed until the note is signed, so a
 * half-typed value survives a draft and the schema's message names what is wrong with it.
 */
export type MeasureRow =
  | { readonly kind: 'pain'; readonly side: SideChoice; readonly site: string; readonly value: string }
  | {
      readonly kind: 'rom';
      readonly joint: string;
      readonly motion: string;
      readonly side: SideChoice;
      readonly mode: 'active' | 'passive';
      readonly degrees: string;
    }
  | { readonly kind: 'mmt'; readonly muscle: string; readonly side: SideChoice; readonly grade: string }
  | { readonly kind: 'outcome'; readonly instrument: OutcomeInstrument; readonly side: SideChoice; readonly items: readonly (number | null)[] };

export type MeasureKind = MeasureRow['kind'];

export interface InterventionRow {
  readonly code: string;
  readonly minutes: string;
}

/** Everything the note form holds. */
export interface NoteFormState {
  readonly type: NoteType;
  readonly appointmentId: string | null;
  readonly episodeId: string | null;
  readonly sections: Partial<Record<NoteSection, string>>;
  readonly measures: readonly MeasureRow[];
  readonly goals: readonly { readonly goal: string; readonly status: GoalStatus }[];
  readonly interventions: readonly InterventionRow[];
}

export function emptyNote(type: NoteType, appointmentId: string | null, episodeId: string | null): NoteFormState {
  return { type, appointmentId, episodeId, sections: {}, measures: [], goals: [], interventions: [] };
}

/** A new, empty row of a kind of measure (an outcome questionnaire starts with every item blank). */
export function newMeasure(kind: MeasureKind, instrument: OutcomeInstrument = 'lefs'): MeasureRow {
  switch (kind) {
    case 'pain':
      return { kind, side: 'none', site: '', value: '' };
    case 'rom':
      return { kind, joint: '', motion: '', side: '', mode: 'active', degrees: '' };
    case 'mmt':
      return { kind, muscle: '', side: '', grade: '' };
    case 'outcome':
      return { kind, instrument, side: 'none', items: blankItems(instrument) };
  }
}

export const blankItems = (instrument: OutcomeInstrument): (number | null)[] => INSTRUMENTS[instrument].items.map(() => null);

/** A ROM row after its joint or motion changed: midline motions have no side, others need one. */
export function withRomMotion(row: Extract<MeasureRow, { kind: 'rom' }>, joint: string, motion: string): MeasureRow {
  const normal = romNormal(joint, motion);
  const side: SideChoice = normal?.midline ? 'none' : row.side === 'none' ? '' : row.side;
  return { ...row, joint, motion, side };
}

// ------------------------------------------------------------------ drafts

/** The form as a draft (drafts.save): the same content, numbers as typed. */
export function toDraft(state: NoteFormState): NoteDraft {
  return {
    type: state.type,
    appointmentId: state.appointmentId,
    episodeId: state.episodeId,
    date: null,
    sections: state.sections,
    measures: state.measures.map((m) => (m.kind === 'outcome' ? { ...m, items: [...m.items] } : { ...m })),
    goals: [...state.goals],
    interventions: state.interventions.map((i) => ({ code: i.code, minutes: wholeNumber(i.minutes) })),
  };
}

const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const side = (v: unknown, fallback: SideChoice): SideChoice =>
  typeof v === 'string' && (SIDES as readonly string[]).includes(v) ? (v as Side) : fallback;

/** One draft measure as a row; what no longer fits (a draft written by another version) is dropped. */
function rowFromDraft(m: Readonly<Record<string, unknown>>): MeasureRow | null {
  switch (m.kind) {
    case 'pain':
      return { kind: 'pain', side: side(m.side, 'none'), site: text(m.site), value: text(m.value) };
    case 'rom':
      return {
        kind: 'rom',
        joint: text(m.joint),
        motion: text(m.motion),
        side: side(m.side, ''),
        mode: m.mode === 'passive' ? 'passive' : 'active',
        degrees: text(m.degrees),
      };
    case 'mmt':
      return { kind: 'mmt', muscle: text(m.muscle), side: side(m.side, ''), grade: text(m.grade) };
    case 'outcome': {
      if (typeof m.instrument !== 'string' || !(OUTCOME_INSTRUMENTS as readonly string[]).includes(m.instrument)) return null;
      const instrument = m.instrument as OutcomeInstrument;
      const blank = blankItems(instrument);
      const items = Array.isArray(m.items) ? (m.items as unknown[]) : [];
      return {
        kind: 'outcome',
        instrument,
        side: side(m.side, 'none'),
        items: blank.map((_, i) => (typeof items[i] === 'number' ? items[i] : null)),
      };
    }
    default:
      return null;
  }
}

/** A saved draft as the form. */
export function fromDraft(draft: NoteDraft): NoteFormState {
  return {
    type: draft.type,
    appointmentId: draft.appointmentId,
    episodeId: draft.episodeId,
    sections: draft.sections,
    measures: draft.measures.map(rowFromDraft).filter((r) => r !== null),
    goals: draft.goals,
    interventions: draft.interventions.map((i) => ({ code: i.code, minutes: i.minutes === null ? '' : String(i.minutes) })),
  };
}

/** Whether the form holds anything worth keeping as a draft. */
export function hasContent(state: NoteFormState): boolean {
  return Object.values(state.sections).some((s) => s.trim() !== '') || state.measures.length > 0 || state.interventions.length > 0;
}

// ------------------------------------------------------------------ signing

/** Typed text as a number for the schema: '' is missing (null, refused with the field's message). */
export function typedNumber(value: string): number | null {
  const t = value.trim();
  return t === '' ? null : Number(t);
}

function wholeNumber(value: string): number | null {
  const n = typedNumber(value);
  return n !== null && Number.isInteger(n) && n >= 0 && n <= 480 ? n : null;
}

/**
 * The note to sign (the `note` of notes.sign): sections of the note type's template only (text
 * typed under another type's template stays in the draft, not in the note), measures and
 * interventions as numbers. The schema checks it all, here and in main.
 */
export interface NoteToSign {
  readonly type: NoteType;
  readonly appointmentId: string | null;
  readonly episodeId: string | null;
  readonly date: null;
  readonly sections: Partial<Record<NoteSection, string>>;
  readonly measures: MeasureInput[];
  readonly goals: { goal: string; status: GoalStatus }[];
  readonly interventions: { code: string; minutes: number }[];
}

export function toNoteInput(state: NoteFormState): NoteToSign {
  const shown = new Set(NOTE_TEMPLATES[state.type].map((s) => s.key));
  const sections: Partial<Record<NoteSection, string>> = {};
  for (const key of NOTE_SECTIONS) {
    const value = state.sections[key];
    if (shown.has(key) && value !== undefined) sections[key] = value;
  }
  return {
    type: state.type,
    appointmentId: state.appointmentId,
    episodeId: state.episodeId,
    date: null,
    sections,
    measures: state.measures.map((m) => {
      switch (m.kind) {
        case 'pain':
          return { kind: 'pain', side: m.side as Side, site: m.site, value: typedNumber(m.value) as number };
        case 'rom':
          return { kind: 'rom', joint: m.joint, motion: m.motion, side: m.side as Side, mode: m.mode, degrees: typedNumber(m.degrees) as number };
        case 'mmt':
          return { kind: 'mmt', muscle: m.muscle, side: m.side as Side, grade: m.grade as MmtGrade };
        case 'outcome':
          return { kind: 'outcome', instrument: m.instrument, side: m.side === '' ? 'none' : m.side, items: [...m.items] };
      }
    }),
    goals: state.type === 'progress' || state.type === 'discharge' ? [...state.goals] : [],
    interventions: state.interventions.map((i) => ({ code: i.code, minutes: typedNumber(i.minutes) as number })),
  };
}

/**
 * A schema's issues as messages by field: the path joined with dots ("measures.2.degrees"), the
 * first message of each; issues of the whole note under "form".
 */
export function issuesByField(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length === 0 ? 'form' : issue.path.map(String).join('.');
    out[key] ??= issue.message;
  }
  return out;
}

// ------------------------------------------------------------------ carry-forward

/** The newest readable signed note of the episode (notes come newest first, as notes.list gives them). */
export function previousNote(notes: readonly Note[], episodeId: string | null): Note | null {
  if (episodeId === null) return null;
  return notes.find((n) => n.body !== null && n.body.episodeId === episodeId && n.body.measures.length > 0) ?? null;
}

/**
 * The previous note's measures as new rows (docs/architecture.md#note-types): the same joints,
 * muscles, questionnaires and values, to be re-measured and edited; the dates are not copied (a
 * measure of the new note is dated on its day of service).
 */
export function carryForward(measures: readonly StoredMeasure[]): MeasureRow[] {
  return measures.map((m): MeasureRow => {
    switch (m.kind) {
      case 'pain':
        return { kind: 'pain', side: m.side, site: m.site, value: String(m.value) };
      case 'rom':
        return { kind: 'rom', joint: m.joint, motion: m.motion, side: m.side, mode: m.mode, degrees: String(m.degrees) };
      case 'mmt':
        return { kind: 'mmt', muscle: m.muscle, side: m.side, grade: m.grade };
      case 'outcome':
        return { kind: 'outcome', instrument: m.instrument, side: m.side, items: [...m.items] };
    }
  });
}

export { GOAL_STATUSES };

// ------------------------------------------------------------------ episodes and visits

/** Visits that did not happen: no note documents them. */
export const NO_VISIT: ReadonlySet<string> = new Set(['cancelled', 'late_cancelled', 'no_show']);

/**
 * The visit a note is written for by default: today's (the patient being seen; of two, the first
 * without a signed note yet), else the latest past one; never one that did not happen.
 */
export function defaultVisit(
  visits: readonly Appointment[],
  today: string,
  zone: string,
  now: number,
  documented: ReadonlySet<string> = new Set(),
): string | null {
  const seen = visits.filter((v) => !NO_VISIT.has(v.status));
  const todays = seen.filter((v) => wallClock(v.start, zone).date === today);
  const todays1 = todays.find((v) => !documented.has(v.appointmentId)) ?? todays[0];
  return todays1?.appointmentId ?? seen.filter((v) => v.start <= now).at(-1)?.appointmentId ?? null;
}

/** Readable episodes, open ones (no end) first, then newest start first. */
export function sortedEpisodes(episodes: readonly Episode[]): StoredEpisode[] {
  const readable = episodes.flatMap((e) => (e.episode ? [e.episode] : []));
  return readable.sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)) || b.start.localeCompare(a.start));
}

/**
 * An episode takes notes until it has an end (a discharge summary sets it, or the therapist does):
 * the service refuses a note in an ended episode, whatever the day (docs/architecture.md#episodes-of-care).
 */
export const isOpen = (episode: StoredEpisode) => episode.end === null;

const dayFormat = 'yyyy-MM-dd';
const asDate = (day: string) => parse(day, dayFormat, new Date(2000, 0, 1));

/** The certification period's default end: `weeks` weeks after the start (null when the start is not a date). */
export function certToDefault(start: string, weeks: number): string | null {
  const d = asDate(start);
  if (!isValid(d) || !Number.isInteger(weeks) || weeks < 1) return null;
  return format(addDays(d, weeks * 7), dayFormat);
}

/**
 * The re-certification reminder (docs/architecture.md#episodes-of-care): for an open episode whose
 * certification period ends within 7 days or has ended, the days left (negative: overdue).
 */
export function recertification(episode: StoredEpisode, today: string): { readonly daysLeft: number; readonly certTo: string } | null {
  if (!isOpen(episode)) return null;
  const daysLeft = differenceInCalendarDays(asDate(episode.plan.certTo), asDate(today));
  return daysLeft <= 7 ? { daysLeft, certTo: episode.plan.certTo } : null;
}

// ------------------------------------------------------------------ previews

/**
 * The units the lines would bill under `rule`, as main will compute them when the note is signed;
 * lines without a listed code or whole minutes are left out of the preview (the form marks them).
 */
export function unitsPreview(lines: readonly InterventionRow[], rule: BillingRule): Billing | null {
  const ready = lines.flatMap((l) => {
    const minutes = wholeNumber(l.minutes);
    return cptCode(l.code) && minutes !== null ? [{ code: l.code, minutes }] : [];
  });
  return ready.length === 0 ? null : billUnits(ready, rule);
}

/** The live score line of a questionnaire: its score and range, or why it cannot be scored yet. */
export function outcomeLine(instrument: OutcomeInstrument, items: readonly (number | null)[]): { readonly ok: boolean; readonly text: string } {
  const spec = INSTRUMENTS[instrument];
  const scored = scoreOutcome(instrument, items);
  const answered = items.filter((i) => i !== null).length;
  if (!scored.ok) return { ok: false, text: `${String(answered)} of ${String(spec.items.length)} answered: ${scored.reason}` };
  const range = spec.unit === '%' ? `${String(scored.score)} %` : `${String(scored.score)} of ${String(spec.scoreMax)}`;
  return { ok: true, text: `Score ${range} (${String(scored.answered)} of ${String(spec.items.length)} answered)` };
}
