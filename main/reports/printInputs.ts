import { z } from 'zod';
import { Id } from '../../shared/api/schemas.js';

/**
 * The inputs of the printed-note and progress-report jobs (docs/architecture.md#printed-notes),
 * apart from the modules that draw them, so the table of job kinds loads no report code.
 */
export const NotePdfInput = z.strictObject({
  patientId: Id,
  /** The `note.signed` entry's hash. */
  note: z.string().regex(/^[0-9a-f]{64}$/, 'Not a valid note reference.'),
});
export type NotePdfInput = z.infer<typeof NotePdfInput>;

export const ProgressReportInput = z.strictObject({ patientId: Id, episodeId: Id });
export type ProgressReportInput = z.infer<typeof ProgressReportInput>;
