import { SealedBody } from './patients.js';

/**
 * Clinical notes, in the patient's clinical stream `p:<patientId>/clinical` (docs/architecture.md#clinical-notes: the first slice of
 * charting). Bodies are sealed like every patient-stream body; the plaintexts are NoteBody,
 * NoteAddendum and NoteCosign in shared/api/calls/notes.ts. A signed note is never changed:
 * corrections are addenda that name the note's entry hash.
 */
export const noteKinds = {
  /** A note signed by its author: evaluation, daily (SOAP), progress or discharge. */
  'note.signed': SealedBody,
  /** A correction or late addition to a signed note (names the note's entry hash). */
  'note.addendum': SealedBody,
  /** A therapist's co-signature of an assistant's note (names the note's entry hash). */
  'note.cosigned': SealedBody,
} as const;
