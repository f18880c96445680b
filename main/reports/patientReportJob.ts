import type { CallParsedInput } from '../../shared/api/index.js';
import type { JobRun } from '../jobs/kind.js';
import { writePatientReport } from './patientReport.js';

/**
 * The `patient.accessReport` job: the patient's access report as a PDF, drawn in a job's worker on
 * its own read-only connection and written atomically (docs/architecture.md#the-patients-accounting).
 * The report's "now" is when the job started, so the file says the same however long it takes.
 */
export const run: JobRun<CallParsedInput<'patient.accessReport'>, { rows: number; patientId: string }> = async (db, input, out, options) => {
  if (out === null) throw new Error('the access report is a file, and the job was given no path to write');
  const { rows } = await writePatientReport(db, input, out, {
    now: options.folder.startedAt,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { rows, patientId: input.patientId };
};
