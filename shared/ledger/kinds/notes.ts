import { z } from 'zod';
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
} as const;

export const NOTE_TYPES = ['evaluation', 'daily', 'progress', 'discharge'] as const;

const Id = z.string().regex(/^[0-9a-f]{16,64}$/);
const EntryHash = z.string().regex(/^[0-9a-f]{64}$/);
const Section = z.string().max(4_000);

/**
 * Stored plaintext of `note.signed`: the shape only (docs/architecture.md#stored-bodies). The
 * input schema NoteBody (shared/api/calls/notes.ts) adds trimming, "at least one section" and the
 * size limit, and pipes into this.
 */
export const StoredNoteBody = z.strictObject({
  type: z.enum(NOTE_TYPES),
  appointmentId: Id.nullable(),
  subjective: Section,
  objective: Section,
  assessment: Section,
  plan: Section,
  pain: z.number().int().min(0).max(10).nullable(),
});
export type StoredNoteBody = z.infer<typeof StoredNoteBody>;

/** Stored plaintext of `note.addendum`. */
export const StoredNoteAddendum = z.strictObject({ note: EntryHash, text: z.string().min(1).max(4_000) });
/** Stored plaintext of `note.cosigned`. */
export const StoredNoteCosign = z.strictObject({ note: EntryHash });

/** The opened plaintext of each sealed kind of the clinical stream. */
export const notePlaintexts = {
  'note.signed': StoredNoteBody,
  'note.addendum': StoredNoteAddendum,
  'note.cosigned': StoredNoteCosign,
} as const;
