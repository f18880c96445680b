import { z } from 'zod';
import { SealedBody } from './patients.js';

/** The longest care window a clinic may set, in months (ten years). */
export const CARE_WINDOW_MONTHS_MAX = 120;

/**
 * Break-the-glass (docs/architecture.md#break-the-glass): the clinic's care window, and a
 * manager's review of an emergency access.
 */
export const careKinds = {
  /**
   * How many months back a visit keeps a therapist or assistant in a patient's care (public clinic
   * stream, last writer wins; 12 when never set). `by` is a manager.
   */
  'clinic.carewindow.set': z.strictObject({ months: z.number().int().min(1).max(CARE_WINDOW_MONTHS_MAX) }),
  /**
   * A manager's verdict on an emergency access (`p:<patientId>/access`, sealed like the access it
   * reviews, so erasing the patient leaves no plaintext of it).
   */
  'access.reviewed': SealedBody,
} as const;

/** The verdicts a manager gives an emergency access. */
export const REVIEW_VERDICTS = ['justified', 'not_justified'] as const;

/**
 * What an `access.reviewed` body holds, once opened: the emergency `access.read` it reviews (its
 * entry hash), the verdict and the manager's note (docs/architecture.md#stored-bodies).
 */
export const StoredAccessReview = z.strictObject({
  access: z.string().regex(/^[0-9a-f]{64}$/),
  verdict: z.enum(REVIEW_VERDICTS),
  note: z.string().min(1).max(1000),
});
export type StoredAccessReview = z.infer<typeof StoredAccessReview>;

/** The opened plaintext of each sealed kind of break-the-glass. */
export const carePlaintexts = {
  'access.reviewed': StoredAccessReview,
} as const;
