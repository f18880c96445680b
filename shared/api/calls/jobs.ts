import { z } from 'zod';
import { call } from './define.js';

/**
 * Long work off the main thread (docs/architecture.md#long-work-off-the-main-thread): a job of a
 * registered kind (main/jobs/kinds.ts) runs in a worker thread; its starter follows its progress,
 * may cancel it, and fetches its result. Only the session that started a job sees it.
 */
export const JobId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'That is not a job id.');

export const JobStartInput = z.strictObject({
  kind: z.string().min(1, 'Say which kind of job to start.').max(64),
  /** The kind's own input, checked against its schema when the job starts. */
  input: z.unknown().optional(),
});

export const JobRef = z.strictObject({ id: JobId });

export const JobState = z.object({
  id: JobId,
  kind: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Units done so far, and the total when known (0: not yet known). */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Why the job failed, in words; null otherwise. */
  message: z.string().nullable(),
  /** What the job returned (its kind says the shape; e.g. verify's VerifyOutcome); null until done. */
  result: z.unknown(),
  /**
   * The file the job wrote, fetched once from the browser host at `url` (a one-time address for
   * this session only); null when the kind writes none, the file was fetched or expired, or on a
   * bridge without HTTP downloads.
   */
  download: z.object({ url: z.string(), name: z.string(), mime: z.string() }).nullable(),
});
export type JobState = z.infer<typeof JobState>;

const ANY_STAFF = ['manager', 'therapist', 'assistant', 'front_desk'] as const;

// Each kind says which roles may start it and whether its result names patients (the kind records
// that reading itself, main/jobs/registry.ts); the calls below carry only progress and a one-time
// address, never patient data, hence `reads: null`.
export const jobCalls = {
  'job.start': call({
    input: JobStartInput,
    output: JobState,
    access: ANY_STAFF,
    reads: null,
    summary: 'Starts a long job (a verification, an export) off the main thread; refused unless your role may run that kind.',
  }),
  'job.state': call({
    input: JobRef,
    output: JobState,
    access: ANY_STAFF,
    reads: null,
    summary: "A job's progress, its outcome, and where to fetch its file (only for the session that started it).",
  }),
  'job.cancel': call({
    input: JobRef,
    output: JobState,
    access: ANY_STAFF,
    reads: null,
    summary: 'Cancels a running job of this session; a file it was writing is removed.',
  }),
} as const;
