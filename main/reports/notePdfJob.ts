import type { JobRun } from '../jobs/kind.js';
import { writeNotePdf } from './notePdf.js';
import type { NotePdfInput } from './printInputs.js';

/**
 * The `note.pdf` job: a signed note printed to a PDF in a job's worker, on its own read-only
 * connection, written atomically (docs/architecture.md#printed-notes). "Printed" is when the job
 * started, so the file says the same however long it takes.
 */
export const run: JobRun<NotePdfInput, { patientId: string }> = async (db, input, out, options) => {
  if (out === null) throw new Error('the printed note is a file, and the job was given no path to write');
  await writeNotePdf(db, input, out, { now: options.folder.startedAt, signal: options.signal });
  options.onProgress?.(1, 1);
  return { patientId: input.patientId };
};
