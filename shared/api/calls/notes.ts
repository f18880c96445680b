import { z } from 'zod';
import { Id, Millis } from '../schemas.js';
import { call } from './define.js';
import { cptCode } from '../../charting/billing.js';
import { DayString, SIDES } from '../../charting/common.js';
import { MMT_GRADES, MUSCLE_GROUPS } from '../../charting/mmt.js';
import { INSTRUMENTS, OUTCOME_INSTRUMENTS, scoreOutcome } from '../../charting/outcomes.js';
import { romNormal } from '../../charting/rom.js';
import { GOAL_STATUSES, NOTE_SECTIONS, NOTE_TYPES, StoredChartNote, StoredNoteAddendum } from '../../ledger/kinds/notes.js';

export { NOTE_TYPES } from '../../ledger/kinds/notes.js';
export const NoteType = z.enum(NOTE_TYPES, { error: 'Choose the kind of note.' });
export type NoteType = z.infer<typeof NoteType>;

/**
 * A sealed note travels between a clinic's computers as one entry, and a sync message carries at
 * most about 12 KB; 8,000 bytes of text leaves room for the seal and the entry around it.
 */
export const NOTE_MAX_BYTES = 8_000;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

const Section = (what: string) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .max(4_000, `${what} must be at most 4,000 characters.`);
const EntryHash = z.string().regex(/^[0-9a-f]{64}$/, 'Not a valid note reference.');
const Day = DayString;
const SideInput = z.enum(SIDES, { error: 'Choose a side.' });
const MeasureDate = Day.nullable().optional();

/**
 * A measure as charted (docs/architecture.md#measures); its output adds the unit and, for outcome
 * measures, the score computed from the items. A missing date is the note's day of service.
 */
export const MeasureInput = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('pain'),
      date: MeasureDate,
      side: SideInput,
      site: z.string().trim().max(60, 'Say where it hurts in at most 60 characters.').default(''),
      value: z
        .number({ error: 'Pain must be a number from 0 to 10.' })
        .int('Pain is a whole number from 0 to 10.')
        .min(0, 'Pain is at least 0.')
        .max(10, 'Pain is at most 10.'),
    })
    .transform((m) => ({ ...m, date: m.date ?? null, unit: 'NPRS' as const })),
  z
    .strictObject({
      kind: z.literal('rom'),
      date: MeasureDate,
      joint: z.string(),
      motion: z.string(),
      side: SideInput,
      mode: z.enum(['active', 'passive'], { error: 'Say whether the range was active or passive.' }),
      degrees: z
        .number({ error: 'Range of motion is a number of degrees.' })
        .int('Range of motion is a whole number of degrees.')
        .min(-90, 'Range of motion is at least −90°.')
        .max(360, 'Range of motion is at most 360°.'),
    })
    .superRefine((m, ctx) => {
      const normal = romNormal(m.joint, m.motion);
      if (!normal) ctx.addIssue({ code: 'custom', message: `There is no ${m.joint} ${m.motion} in the range-of-motion table.`, path: ['motion'] });
      else if (normal.midline !== (m.side === 'none'))
        ctx.addIssue({
          code: 'custom',
          message: normal.midline
            ? `${normal.jointName} ${normal.motionName} is measured without a side.`
            : `Say which side ${normal.jointName.toLowerCase()} ${normal.motionName.toLowerCase()} was measured on.`,
          path: ['side'],
        });
    })
    .transform((m) => ({ ...m, date: m.date ?? null, unit: 'deg' as const })),
  z
    .strictObject({
      kind: z.literal('mmt'),
      date: MeasureDate,
      muscle: z.string(),
      side: SideInput,
      grade: z.enum(MMT_GRADES, { error: 'Choose a muscle grade from 0 to 5.' }),
    })
    .refine((m) => MUSCLE_GROUPS.some((g) => g.key === m.muscle), { message: 'Choose a muscle group from the list.', path: ['muscle'] })
    .transform((m) => ({ ...m, date: m.date ?? null, unit: 'grade' as const })),
  z
    .strictObject({
      kind: z.literal('outcome'),
      date: MeasureDate,
      instrument: z.enum(OUTCOME_INSTRUMENTS, { error: 'Choose an outcome measure.' }),
      side: SideInput.default('none'),
      items: z.array(z.number().int().nullable()).max(30),
    })
    .transform((m, ctx) => {
      const spec = INSTRUMENTS[m.instrument];
      const scored = m.items.length === spec.items.length ? scoreOutcome(m.instrument, m.items) : null;
      if (scored === null || !scored.ok) {
        ctx.addIssue({
          code: 'custom',
          message:
            scored === null
              ? `${spec.name} has ${String(spec.items.length)} items, not ${String(m.items.length)}.`
              : `${spec.name}: ${scored.reason}`,
          path: ['items'],
        });
        return z.NEVER;
      }
      return { ...m, date: m.date ?? null, score: scored.score, unit: spec.unit };
    }),
]);
export type MeasureInput = z.input<typeof MeasureInput>;
export type ParsedMeasure = z.output<typeof MeasureInput>;

/** An intervention as charted: a CPT code from the list and its minutes. */
export const InterventionInput = z
  .strictObject({
    code: z.string().trim(),
    minutes: z
      .number({ error: 'Minutes must be a number.' })
      .int('Minutes are a whole number.')
      .min(0, 'Minutes are at least 0.')
      .max(480, 'Minutes are at most 480.'),
  })
  .refine((i) => cptCode(i.code) !== undefined, { message: 'Choose a CPT code from the list.', path: ['code'] });

const SectionsInput = z.partialRecord(z.enum(NOTE_SECTIONS), Section('A section'));

/**
 * A note as its author signs it (docs/architecture.md#note-types): trimmed sections (at least one),
 * structured measures, goal statuses and interventions. A note in the version-1 shape (the four
 * SOAP sections and pain, as callers sent before charting) is read as the same note in this shape.
 * The service adds the day of service, the billing units under the episode's rule, and checks the
 * size of the whole stored note.
 */
export const NoteBody = z.preprocess(
  legacyNoteInput,
  z
    .strictObject({
      type: NoteType,
      /** The visit the note documents, when there is one. */
      appointmentId: Id.nullable(),
      /** The episode of care it belongs to (the note form always names one). */
      episodeId: Id.nullable().default(null),
      /** Day of service; null: the visit's day, or today. */
      date: Day.nullable().default(null),
      sections: SectionsInput,
      measures: z.array(MeasureInput).max(80, 'A note holds at most 80 measures.').default([]),
      goals: z
        .array(z.strictObject({ goal: Id, status: z.enum(GOAL_STATUSES, { error: 'Choose a goal status.' }) }))
        .max(30)
        .default([]),
      interventions: z.array(InterventionInput).max(20, 'A note bills at most 20 codes.').default([]),
    })
    .transform((n) => ({ ...n, sections: Object.fromEntries(Object.entries(n.sections).filter(([, text]) => text !== '')) }))
    .refine((n) => Object.keys(n.sections).length > 0, 'Write at least one section of the note before signing it.')
    .superRefine((n, ctx) => {
      const codes = new Set<string>();
      for (const i of n.interventions) {
        if (codes.has(i.code))
          ctx.addIssue({ code: 'custom', message: `${i.code} is listed twice; put its minutes together on one line.`, path: ['interventions'] });
        codes.add(i.code);
      }
      const goals = new Set<string>();
      for (const g of n.goals) {
        if (goals.has(g.goal)) ctx.addIssue({ code: 'custom', message: 'A goal is given two statuses.', path: ['goals'] });
        goals.add(g.goal);
      }
      const bytes = utf8Bytes(JSON.stringify(n));
      if (bytes > NOTE_MAX_BYTES) ctx.addIssue({ code: 'custom', message: tooLong(bytes) });
    }),
);
export type NoteBody = z.output<typeof NoteBody>;
export type NoteInput = z.input<typeof NoteBody>;

/** The refusal of a note too long for one entry (the input schema and the service's final check). */
export function tooLong(bytes: number): string {
  return `This note is too long to sign as one entry (${String(bytes)} of ${String(NOTE_MAX_BYTES)} bytes). Shorten it, and add the rest as an addendum once it is signed.`;
}

/** A version-1 note input (subjective … plan, pain) in the version-2 shape; anything else as it is. */
function legacyNoteInput(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'sections' in value) return value;
  const { subjective, objective, assessment, plan, pain, ...rest } = value as Record<string, unknown>;
  return {
    ...rest,
    sections: { subjective, objective, assessment, plan },
    measures: pain === null || pain === undefined ? [] : [{ kind: 'pain', side: 'none', site: '', value: pain }],
  };
}

/** What each kind of note is called, on screen and in messages. */
export const NOTE_TYPE_NAMES: Readonly<Record<NoteType, string>> = {
  evaluation: 'Initial evaluation',
  daily: 'Daily note (SOAP)',
  progress: 'Progress note',
  discharge: 'Discharge summary',
};

const AddendumText = z
  .string({ error: 'Write the addendum.' })
  .trim()
  .min(1, 'Write the addendum.')
  .max(4_000, 'An addendum must be at most 4,000 characters.');
/** An addendum as typed; its output is the stored plaintext of `note.addendum`. */
export const NoteAddendum = z.strictObject({ note: EntryHash, text: AddendumText }).pipe(StoredNoteAddendum);

export const Note = z.object({
  /** The `note.signed` entry's hash: what addenda and co-signatures name. */
  hash: z.string(),
  at: Millis,
  authorName: z.string().nullable(),
  authorRole: z.string().nullable(),
  /** False when this computer cannot open the note (no key for the patient). */
  readable: z.boolean(),
  /** The note in the version-2 shape (a version-1 note as chartNote reads it, shared/charting/note.ts). */
  body: StoredChartNote.nullable(),
  /** Start of the visit it documents, when it names one that this computer knows. */
  visitStart: Millis.nullable(),
  /** An assistant's note waits for a therapist's co-signature. */
  awaitingCosign: z.boolean(),
  cosignedBy: z.string().nullable(),
  cosignedAt: Millis.nullable(),
  addenda: z.array(z.object({ hash: z.string(), at: Millis, byName: z.string().nullable(), text: z.string().nullable() })),
});
export type Note = z.infer<typeof Note>;

const CLINICAL = ['therapist', 'assistant'] as const;

export const noteCalls = {
  'notes.list': call({
    input: z.strictObject({ patientId: Id }),
    output: z.array(Note),
    access: ['therapist', 'assistant', 'manager'],
    reads: { kind: 'service' },
    summary: "A patient's signed clinical notes with addenda and co-signatures, newest first (the reading is recorded).",
  }),
  'notes.sign': call({
    input: z.strictObject({
      patientId: Id,
      note: NoteBody,
      /** A note for a visit that already has one is refused unless this is true (an addendum is usually what was meant). */
      confirmSecondNote: z.boolean().optional(),
      /** The author's draft this note was written in: discarded in the same step as the signing. */
      draftId: Id.optional(),
    }),
    output: Note,
    access: CLINICAL,
    reads: { kind: 'written' },
    summary:
      'Signs a clinical note; a signed note never changes (corrections are addenda). A second note for the same visit is refused, naming the first, unless confirmSecondNote is true.',
  }),
  'notes.addendum': call({
    input: z.strictObject({ patientId: Id, note: EntryHash, text: AddendumText }),
    output: Note,
    access: CLINICAL,
    reads: { kind: 'written' },
    summary: 'Adds a signed addendum to a signed note.',
  }),
  'notes.cosign': call({
    input: z.strictObject({ patientId: Id, note: EntryHash }),
    output: Note,
    access: ['therapist'],
    reads: { kind: 'written' },
    summary: "Co-signs an assistant's note.",
  }),
} as const;
