import { z } from 'zod';
import { BILLING_RULES } from '../../charting/billing.js';
import { BODY_REGIONS, DayString, SIDES } from '../../charting/common.js';
import { MMT_GRADES } from '../../charting/mmt.js';
import { OUTCOME_INSTRUMENTS } from '../../charting/outcomes.js';
import { SealedBody } from './patients.js';

/**
 * Clinical notes, in the patient's clinical stream `p:<patientId>/clinical` (docs/architecture.md#clinical-notes,
 * charting). Bodies are sealed like every patient-stream body; their plaintexts are below. A
 * signed note is never changed: corrections are addenda that name the note's entry hash.
 */
export const noteKinds = {
  /** A note signed by its author: evaluation, daily (SOAP), progress or discharge. */
  'note.signed': SealedBody,
  /** A correction or late addition to a signed note (names the note's entry hash). */
  'note.addendum': SealedBody,
  /** A therapist's co-signature of an assistant's note (names the note's entry hash). */
  'note.cosigned': SealedBody,
  /** An episode of care as it now stands: referral, diagnoses, plan of care, goals (last writer wins). */
  'episode.saved': SealedBody,
} as const;

export const NOTE_TYPES = ['evaluation', 'daily', 'progress', 'discharge'] as const;

const Id = z.string().regex(/^[0-9a-f]{16,64}$/);
const EntryHash = z.string().regex(/^[0-9a-f]{64}$/);
const Section = z.string().max(4_000);

/**
 * Stored plaintext of a `note.signed` written before charting (version 1): the four SOAP sections
 * and pain now. Still read as it was signed; readers see it through `chartNote`
 * (shared/charting/note.ts) in the version-2 shape.
 */
export const StoredNoteV1 = z.strictObject({
  type: z.enum(NOTE_TYPES),
  appointmentId: Id.nullable(),
  subjective: Section,
  objective: Section,
  assessment: Section,
  plan: Section,
  pain: z.number().int().min(0).max(10).nullable(),
});
export type StoredNoteV1 = z.infer<typeof StoredNoteV1>;

/**
 * The sections a note may hold (docs/architecture.md#note-types): which ones a note type shows is
 * its template (NOTE_TEMPLATES in shared/charting/note.ts); the stored body keeps whichever were written.
 */
export const NOTE_SECTIONS = [
  'subjective',
  'history',
  'systems',
  'objective',
  'tests',
  'assessment',
  'goals',
  'outcomes',
  'plan',
  'dischargePlan',
] as const;
export type NoteSection = (typeof NOTE_SECTIONS)[number];

const Day = DayString;
const Side = z.enum(SIDES);
/** Joint, motion and muscle keys of the bundled tables (shared/charting/rom.ts, mmt.ts). */
const TableKey = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

/**
 * A structured measure (docs/architecture.md#measures): never free text; each has its date, side
 * and unit. Outcome measures keep every item response (null: left blank) and the score computed
 * from them when the note was signed (scoreOutcome, shared/charting/outcomes.ts).
 */
export const StoredMeasure = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('pain'),
    date: Day,
    side: Side,
    /** Where it hurts, in a few words ('' when the note's region is meant). */
    site: z.string().max(60),
    value: z.number().int().min(0).max(10),
    unit: z.literal('NPRS'),
  }),
  z.strictObject({
    kind: z.literal('rom'),
    date: Day,
    joint: TableKey,
    motion: TableKey,
    side: Side,
    mode: z.enum(['active', 'passive']),
    degrees: z.number().int().min(-90).max(360),
    unit: z.literal('deg'),
  }),
  z.strictObject({
    kind: z.literal('mmt'),
    date: Day,
    muscle: TableKey,
    side: Side,
    grade: z.enum(MMT_GRADES),
    unit: z.literal('grade'),
  }),
  z.strictObject({
    kind: z.literal('outcome'),
    date: Day,
    instrument: z.enum(OUTCOME_INSTRUMENTS),
    side: Side,
    items: z.array(z.number().int().min(0).max(5).nullable()).min(1).max(30),
    score: z.number().min(0).max(100),
    unit: z.enum(['points', '%']),
  }),
]);
export type StoredMeasure = z.infer<typeof StoredMeasure>;

export const GOAL_STATUSES = ['progressing', 'met', 'not_met', 'discontinued'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** Billing as signed (docs/architecture.md#billing-units): the rule, each code's minutes and units. */
export const StoredBilling = z.strictObject({
  rule: z.enum(BILLING_RULES),
  lines: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[0-9A-Z]{5}$/),
        minutes: z.number().int().min(0).max(480),
        timed: z.boolean(),
        units: z.number().int().min(0).max(32),
      }),
    )
    .max(20),
  totalTimedMinutes: z.number().int().min(0).max(1440),
  totalUnits: z.number().int().min(0).max(64),
});
export type StoredBilling = z.infer<typeof StoredBilling>;

/**
 * Stored plaintext of a charting `note.signed` (version 2; docs/architecture.md#note-types): the
 * note type's sections, structured measures, goal statuses it sets, and the billing it claims.
 * Input schemas (shared/api/calls/notes.ts) add trimming, limits and the computed scores and units.
 */
export const StoredChartNote = z.strictObject({
  v: z.literal(2),
  type: z.enum(NOTE_TYPES),
  appointmentId: Id.nullable(),
  /** The episode of care the note belongs to (null only for notes signed before episodes existed). */
  episodeId: Id.nullable(),
  /** The day of service, in the clinic's time zone. */
  date: Day,
  sections: z.partialRecord(z.enum(NOTE_SECTIONS), Section),
  measures: z.array(StoredMeasure).max(80),
  /** Goal statuses as of this note (progress notes and discharge summaries update them). */
  goals: z.array(z.strictObject({ goal: Id, status: z.enum(GOAL_STATUSES) })).max(30),
  billing: StoredBilling.nullable(),
});
export type StoredChartNote = z.infer<typeof StoredChartNote>;

/** A note as read (views, the API): either version, told apart by `v`. */
export const StoredNoteBody = z.union([StoredChartNote, StoredNoteV1]);
export type StoredNoteBody = z.infer<typeof StoredNoteBody>;

/**
 * A measure as sealed: canonical JSON holds integers only (docs/ledger-format.md), so an outcome
 * score (one decimal: ODI 31.1 %) is sealed as a whole number of tenths, `scoreTenths`; every other
 * measure is sealed as it reads.
 */
const SealedMeasure = z.union([
  StoredMeasure.options[0],
  StoredMeasure.options[1],
  StoredMeasure.options[2],
  StoredMeasure.options[3].omit({ score: true }).extend({ scoreTenths: z.number().int().min(0).max(1_000) }),
]);
type SealedMeasure = z.infer<typeof SealedMeasure>;

/** Stored plaintext of a version-2 `note.signed`: the note as read, with outcome scores in tenths. */
export const SealedChartNote = StoredChartNote.extend({ measures: z.array(SealedMeasure).max(80) });
export type SealedChartNote = z.infer<typeof SealedChartNote>;

/** Stored plaintext of `note.signed`: either version, told apart by `v`. */
export const SealedNoteBody = z.union([SealedChartNote, StoredNoteV1]);
export type SealedNoteBody = z.infer<typeof SealedNoteBody>;

/** A note as sealed (outcome scores in whole tenths). */
export function sealNoteScores(note: StoredChartNote): SealedChartNote {
  return {
    ...note,
    measures: note.measures.map((m) => {
      if (m.kind !== 'outcome') return m;
      const { score, ...rest } = m;
      return { ...rest, scoreTenths: Math.round(score * 10) };
    }),
  };
}

/** A sealed note as read (outcome scores back in points or percent, one decimal). */
export function openNoteScores(note: SealedNoteBody): StoredNoteBody {
  if (!('v' in note)) return note;
  return {
    ...note,
    measures: note.measures.map((m) => {
      if (m.kind !== 'outcome' || !('scoreTenths' in m)) return m;
      const { scoreTenths, ...rest } = m;
      return { ...rest, score: scoreTenths / 10 };
    }),
  };
}

/** A goal of an episode: measurable, with a target date and its status. */
export const StoredGoal = z.strictObject({
  id: Id,
  term: z.enum(['short', 'long']),
  /** What the patient will be able to do. */
  text: z.string().min(1).max(300),
  /** The measurable target, e.g. "knee flexion 120° or more" or "LEFS 60 or more". */
  target: z.string().min(1).max(200),
  targetDate: Day,
  status: z.enum(GOAL_STATUSES),
});
export type StoredGoal = z.infer<typeof StoredGoal>;

/** ICD-10-CM code shape: a letter, two characters, and up to four more after the dot. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

/**
 * Stored plaintext of `episode.saved` (docs/architecture.md#episodes-of-care): the whole episode
 * as it stands; of two saves, the later in (height, hash) order is the episode.
 */
export const StoredEpisode = z.strictObject({
  episode: Id,
  referral: z.strictObject({ provider: z.string().min(1).max(120), date: Day.nullable() }).nullable(),
  diagnoses: z
    .array(z.strictObject({ code: z.string().regex(ICD10_PATTERN), text: z.string().min(1).max(200) }))
    .min(1)
    .max(12),
  bodyRegion: z.enum(BODY_REGIONS),
  start: Day,
  /** Set when the episode ends (a discharge summary, or closed by hand). */
  end: Day.nullable(),
  plan: z.strictObject({
    visitsPerWeek: z.number().int().min(1).max(7),
    weeks: z.number().int().min(1).max(52),
    /** The certification period of the plan of care; re-certification is due by `certTo`. */
    certFrom: Day,
    certTo: Day,
  }),
  payer: z.strictObject({ name: z.string().max(80), rule: z.enum(BILLING_RULES) }),
  goals: z.array(StoredGoal).max(30),
});
export type StoredEpisode = z.infer<typeof StoredEpisode>;

/** Stored plaintext of `note.addendum`. */
export const StoredNoteAddendum = z.strictObject({ note: EntryHash, text: z.string().min(1).max(4_000) });
/** Stored plaintext of `note.cosigned`. */
export const StoredNoteCosign = z.strictObject({ note: EntryHash });

/** The opened plaintext of each sealed kind of the clinical stream. */
export const notePlaintexts = {
  'note.signed': SealedNoteBody,
  'note.addendum': StoredNoteAddendum,
  'note.cosigned': StoredNoteCosign,
  'episode.saved': StoredEpisode,
} as const;
