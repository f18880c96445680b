import { z } from 'zod';
import { Id, Millis, NoInput } from '../schemas.js';
import { call } from './define.js';
import { Note, NoteType } from './notes.js';
import { BILLING_RULES } from '../../charting/billing.js';
import { BODY_REGIONS, DayString } from '../../charting/common.js';
import { GOAL_STATUSES, ICD10_PATTERN, NOTE_SECTIONS, StoredBilling, StoredEpisode } from '../../ledger/kinds/notes.js';

/**
 * Charting a whole episode of care (docs/architecture.md#charting): episodes with their plan of
 * care and goals, the chart of a patient, the co-signature queue, the front desk's daily billing
 * summary, and the author's drafts (kept on this computer only, never in the ledger).
 */
const Day = DayString;
const Text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .min(1, `Write the ${what.toLowerCase()}.`)
    .max(max, `${what} must be at most ${max.toLocaleString('en-US')} characters.`);

export const GoalInput = z.strictObject({
  /** Absent for a new goal (the service gives it an id). */
  id: Id.optional(),
  term: z.enum(['short', 'long'], { error: 'Say whether the goal is short- or long-term.' }),
  text: Text('Goal', 300),
  target: Text('Measurable target', 200),
  targetDate: Day,
  status: z.enum(GOAL_STATUSES, { error: 'Choose the goal’s status.' }).default('progressing'),
});

/** An episode as the therapist enters it; the service adds ids and checks dates against each other. */
export const EpisodeInput = z
  .strictObject({
    /** Absent to open a new episode. */
    episode: Id.optional(),
    referral: z.strictObject({ provider: Text('Referring provider', 120), date: Day.nullable() }).nullable(),
    diagnoses: z
      .array(
        z.strictObject({
          code: z
            .string()
            .trim()
            .toUpperCase()
            .regex(ICD10_PATTERN, 'An ICD-10-CM code is a letter, two characters, then a dot and up to four more (e.g. M25.561).'),
          text: Text('Diagnosis', 200),
        }),
      )
      .min(1, 'Give at least one diagnosis.')
      .max(12, 'An episode has at most 12 diagnoses.'),
    bodyRegion: z.enum(BODY_REGIONS, { error: 'Choose the body region.' }),
    start: Day,
    end: Day.nullable(),
    plan: z.strictObject({
      visitsPerWeek: z.number().int().min(1, 'At least one visit a week.').max(7, 'At most seven visits a week.'),
      weeks: z.number().int().min(1, 'At least one week.').max(52, 'At most 52 weeks.'),
      certFrom: Day,
      certTo: Day,
    }),
    payer: z.strictObject({ name: z.string().trim().max(80, 'The payer’s name must be at most 80 characters.'), rule: z.enum(BILLING_RULES) }),
    goals: z.array(GoalInput).max(30, 'An episode has at most 30 goals.'),
  })
  .superRefine((e, ctx) => {
    if (e.end !== null && e.end < e.start) ctx.addIssue({ code: 'custom', message: 'The episode cannot end before it starts.', path: ['end'] });
    if (e.plan.certTo < e.plan.certFrom)
      ctx.addIssue({ code: 'custom', message: 'The certification period cannot end before it starts.', path: ['plan', 'certTo'] });
    if (e.referral?.date && e.referral.date > e.start)
      ctx.addIssue({ code: 'custom', message: 'The referral cannot be dated after the episode starts.', path: ['referral', 'date'] });
  });
export type EpisodeInput = z.input<typeof EpisodeInput>;

export const Episode = z.object({
  /** The `episode.saved` entry that holds this version. */
  hash: z.string(),
  at: Millis,
  savedByName: z.string().nullable(),
  /** False when this computer cannot open it (no key for the patient). */
  readable: z.boolean(),
  episode: StoredEpisode.nullable(),
});
export type Episode = z.infer<typeof Episode>;

export const Chart = z.object({
  /** Newest first by start. */
  episodes: z.array(Episode),
  /** Newest first, as notes.list. */
  notes: z.array(Note),
});
export type Chart = z.infer<typeof Chart>;

export const CosignItem = z.object({
  patientId: Id,
  patientName: z.string().nullable(),
  note: Note,
});
export type CosignItem = z.infer<typeof CosignItem>;

/** One visit of the day with what its note bills (docs/architecture.md#billing-units). */
export const BillingRow = z.object({
  appointmentId: Id,
  patientId: Id,
  patientName: z.string().nullable(),
  start: Millis,
  clinicianName: z.string().nullable(),
  status: z.string(),
  /** The visit's signed note, or null when none is signed yet. */
  note: z
    .object({ hash: z.string(), type: NoteType, authorName: z.string().nullable(), awaitingCosign: z.boolean(), billing: StoredBilling.nullable() })
    .nullable(),
});
export type BillingRow = z.infer<typeof BillingRow>;

/**
 * What the note form holds while it is being written (docs/architecture.md#drafts): anything a
 * person may have half-typed, so looser than a note (numbers may be missing, codes unchosen).
 */
const DraftValue = z.union([z.string().max(4_000), z.number(), z.boolean(), z.null(), z.array(z.number().nullable()).max(30)]);
export const NoteDraft = z.strictObject({
  type: NoteType,
  appointmentId: Id.nullable(),
  episodeId: Id.nullable(),
  date: Day.nullable(),
  sections: z.partialRecord(z.enum(NOTE_SECTIONS), z.string().max(4_000)),
  measures: z.array(z.record(z.string().max(20), DraftValue)).max(80),
  goals: z.array(z.strictObject({ goal: Id, status: z.enum(GOAL_STATUSES) })).max(30),
  interventions: z.array(z.strictObject({ code: z.string().max(10), minutes: z.number().int().min(0).max(480).nullable() })).max(20),
});
export type NoteDraft = z.infer<typeof NoteDraft>;

export const Draft = z.object({
  draftId: Id,
  patientId: Id,
  appointmentId: Id.nullable(),
  content: NoteDraft,
  savedAt: Millis,
});
export type Draft = z.infer<typeof Draft>;

export const DraftSummary = z.object({
  draftId: Id,
  patientId: Id,
  patientName: z.string().nullable(),
  appointmentId: Id.nullable(),
  visitStart: Millis.nullable(),
  type: NoteType,
  savedAt: Millis,
});

const CLINICAL = ['therapist', 'assistant'] as const;

export const chartingCalls = {
  'chart.get': call({
    input: z.strictObject({ patientId: Id }),
    output: Chart,
    access: ['therapist', 'assistant', 'manager'],
    reads: { kind: 'service' },
    summary: "A patient's chart: episodes of care with plan and goals, and every signed note (the reading is recorded).",
  }),
  'episodes.save': call({
    input: z.strictObject({ patientId: Id, episode: EpisodeInput }),
    output: Episode,
    access: ['therapist'],
    reads: { kind: 'written' },
    summary: 'Opens an episode of care, or saves a changed one (referral, diagnoses, plan of care, goals).',
  }),
  'notes.cosignQueue': call({
    input: NoInput,
    output: z.array(CosignItem),
    access: ['therapist'],
    reads: { kind: 'listed', patients: (output) => output.map((i) => i.patientId) },
    summary: "Assistants' notes awaiting a therapist's co-signature, oldest first.",
  }),
  'billing.day': call({
    input: z.strictObject({ date: Day }),
    output: z.array(BillingRow),
    access: ['front_desk', 'manager', 'therapist'],
    reads: { kind: 'listed', patients: (output) => output.map((r) => r.patientId) },
    summary: "The day's visits with the CPT codes and units their signed notes bill, for the front desk.",
  }),
  'drafts.save': call({
    input: z.strictObject({ patientId: Id, draftId: Id.optional(), content: NoteDraft }),
    output: z.object({ draftId: Id, savedAt: Millis }),
    access: CLINICAL,
    reads: { kind: 'written' },
    summary: 'Keeps the note being written, on this computer only and sealed like the record (never in the ledger).',
  }),
  'drafts.get': call({
    input: z.strictObject({ patientId: Id, appointmentId: Id.nullable() }),
    output: Draft.nullable(),
    access: CLINICAL,
    reads: { kind: 'written' },
    summary: 'Your draft for a visit (or for the patient without a visit), to resume it.',
  }),
  'drafts.list': call({
    input: NoInput,
    output: z.array(DraftSummary),
    access: CLINICAL,
    reads: { kind: 'listed', patients: (output) => output.map((d) => d.patientId) },
    summary: 'Your unsigned drafts, newest first.',
  }),
  'drafts.discard': call({
    input: z.strictObject({ draftId: Id }),
    output: NoInput,
    access: CLINICAL,
    reads: null,
    summary: 'Discards one of your drafts; what it held is overwritten.',
  }),
} as const;
