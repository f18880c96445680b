import type { JobRun } from '../jobs/kind.js';
import { writeProgressReport } from './progressReport.js';
import type { ProgressReportInput } from './printInputs.js';

/**
 * The `progress.pdf` job: an episode's progress report printed to a PDF in a job's worker, on its
 * own read-only connection, written atomically (docs/architecture.md#printed-notes).
 */
export const run: JobRun<ProgressReportInput, { patientId: string }> = async (db, input, out, options) => {
  if (out === null) throw new Error('the progress report is a file, and the job was given no path to write');
  await writeProgressReport(db, input, out, { now: options.folder.startedAt, signal: options.signal });
  options.onProgress?.(1, 1);
  return { patientId: input.patientId };
};
