import { z } from 'zod';
import { Id, Millis, NoInput } from '../schemas.js';
import { call } from './define.js';
import { PatientRecord } from './patients.js';
import { REVIEW_VERDICTS } from '../../ledger/kinds/care.js';

export { CARE_WINDOW_MONTHS_MAX } from '../../ledger/kinds/care.js';

/**
 * How long an emergency access lasts (docs/architecture.md#break-the-glass): for four hours after
 * the reason is given the record opens as usual for that staff member; after that they state a
 * reason again.
 */
export const EMERGENCY_ACCESS_HOURS = 4;
export const EMERGENCY_ACCESS_MS = EMERGENCY_ACCESS_HOURS * 3_600_000;

/** The fewest and most characters of an emergency access's reason (it is stored as the reading's purpose). */
export const EMERGENCY_REASON_MIN = 10;
export const EMERGENCY_REASON_MAX = 200;

export const EmergencyReason = z
  .string({ error: 'Say why you need to open this record.' })
  .trim()
  .min(1, 'Say why you need to open this record.')
  .min(EMERGENCY_REASON_MIN, `Say why in a few words (at least ${String(EMERGENCY_REASON_MIN)} characters).`)
  .max(EMERGENCY_REASON_MAX, `Keep the reason to at most ${String(EMERGENCY_REASON_MAX)} characters.`);

export const ReviewVerdict = z.enum(REVIEW_VERDICTS, { error: 'Choose whether the access was justified.' });
export type ReviewVerdict = z.infer<typeof ReviewVerdict>;

export const ReviewNote = z
  .string({ error: 'Write a note for the record.' })
  .trim()
  .min(1, 'Write a note for the record.')
  .max(1000, 'A note must be at most 1,000 characters.');

/** One emergency access as the managers' review queue shows it. */
export const EmergencyAccess = z.object({
  /** The emergency `access.read` entry's hash: what a review names. */
  hash: z.string(),
  patientId: Id,
  /** "Family, Given" as this computer holds it; null when it cannot open the record. */
  patientName: z.string().nullable(),
  staffName: z.string().nullable(),
  role: z.string().nullable(),
  device: z.string().nullable(),
  at: Millis,
  /** When the four hours end (or ended). */
  until: Millis,
  reason: z.string(),
  /** How many times the staff member opened the record or its notes during those hours, the emergency opening included. */
  readings: z.number().int(),
  review: z
    .object({
      verdict: ReviewVerdict,
      note: z.string(),
      reviewerName: z.string().nullable(),
      at: Millis,
    })
    .nullable(),
});
export type EmergencyAccess = z.infer<typeof EmergencyAccess>;

export const careCalls = {
  'patient.breakGlass': call({
    input: z.strictObject({ patientId: Id, reason: EmergencyReason }),
    output: z.object({ record: PatientRecord, until: Millis }),
    access: ['therapist', 'assistant'],
    reads: { kind: 'service' },
    summary:
      "Opens the record of a patient outside the caller's care, with the reason (an emergency access: recorded, flagged and reviewed by a manager); the record then opens as usual for four hours.",
  }),
  'access.emergencies': call({
    input: NoInput,
    output: z.object({ awaiting: z.array(EmergencyAccess), reviewed: z.array(EmergencyAccess) }),
    access: ['manager'],
    reads: { kind: 'listed', patients: (output) => [...output.awaiting, ...output.reviewed].map((e) => e.patientId) },
    summary: "Emergency accesses by the clinic's staff awaiting a manager's review (oldest first), and the latest reviewed ones.",
  }),
  'access.review': call({
    input: z.strictObject({ access: z.string().regex(/^[0-9a-f]{64}$/, 'Not a valid emergency access.'), verdict: ReviewVerdict, note: ReviewNote }),
    output: EmergencyAccess,
    access: ['manager'],
    reads: { kind: 'written' },
    summary: 'Records a verdict (justified or not) with a note on an emergency access, in the patient’s access log.',
  }),
} as const;
