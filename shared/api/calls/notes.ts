import { z } from 'zod';
import { Id, Millis } from '../schemas.js';
import { call } from './define.js';
import { NOTE_TYPES, StoredNoteAddendum, StoredNoteBody } from '../../ledger/kinds/notes.js';

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

/**
 * A note as its author signs it: trimmed, at least one section, small enough for one entry; its
 * output is the stored plaintext of `note.signed` (StoredNoteBody, which reducers read).
 */
export const NoteBody = z
  .strictObject({
    type: NoteType,
    /** The visit the note documents, when there is one. */
    appointmentId: Id.nullable(),
    subjective: Section('Subjective'),
    objective: Section('Objective'),
    assessment: Section('Assessment'),
    plan: Section('Plan'),
    /** Pain now on the numeric rating scale (NPRS 0–10), when asked. */
    pain: z
      .number({ error: 'Pain must be a number from 0 to 10.' })
      .int('Pain is a whole number from 0 to 10.')
      .min(0, 'Pain is at least 0.')
      .max(10, 'Pain is at most 10.')
      .nullable(),
  })
  .refine((n) => [n.subjective, n.objective, n.assessment, n.plan].some((s) => s !== ''), 'Write at least one section of the note before signing it.')
  .superRefine((n, ctx) => {
    const bytes = utf8Bytes(JSON.stringify(n));
    if (bytes > NOTE_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `This note is too long to sign as one entry (${String(bytes)} of ${String(NOTE_MAX_BYTES)} bytes). Shorten it, and add the rest as an addendum once it is signed.`,
      });
    }
  })
  .pipe(StoredNoteBody);
export type NoteBody = z.output<typeof NoteBody>;
export type NoteInput = z.input<typeof NoteBody>;

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
  body: StoredNoteBody.nullable(),
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
