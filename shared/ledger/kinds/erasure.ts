import { z } from 'zod';

/**
 * Erasure of a patient's record (GDPR Art. 17) and the clinic's retention period
 * (docs/architecture.md#erasure).
 */

const ClinicId = z.string().regex(/^[0-9a-f]{64}$/);

/** How the patient's erasure request reached the clinic. */
export const ERASURE_CHANNELS = ['in_person', 'letter', 'email', 'phone', 'other'] as const;
export type ErasureChannel = (typeof ERASURE_CHANNELS)[number];

/** Longest retention override reason (characters): it is in clear, so it is kept short. */
export const OVERRIDE_REASON_MAX = 300;

/** Most years a retention period may be (no legal minimum anywhere comes near it). */
export const RETENTION_YEARS_MAX = 100;

/**
 * The body of `patient.erasure`, written in the patient's consent stream `p:<patientId>/consent`,
 * which travels to every device and clinic that ever held the patient's key
 * (docs/architecture.md#consent-scoped-replication). It is in clear, like the enforcing fields of
 * consent: every device must act on it once the key that would open a sealed body is gone, and it
 * holds no patient data — no name, no clinical detail, only the request's date and channel, and
 * the manager's reason when the retention period was overridden (free text the screen tells the
 * manager to keep free of clinical details). The manager is the entry's `by`.
 */
export const PatientErasureBody = z.strictObject({
  /** The patient's home clinic, which erases (the author must be one of its devices). */
  home: ClinicId,
  /** The day the patient's request was received, YYYY-MM-DD (the clinic's calendar). */
  requestedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** How the request was received. */
  receivedVia: z.enum(ERASURE_CHANNELS),
  /** Why the clinic's retention period was overridden, or null when it did not block the erasure. */
  override: z.string().min(1).max(OVERRIDE_REASON_MAX).nullable(),
});

export const erasureKinds = {
  /**
   * A manager of the patient's home clinic executed the patient's erasure request: every device
   * that holds the patient's keys destroys them and re-derives the patient's rows without them;
   * nothing more is written into the patient's streams.
   */
  'patient.erasure': PatientErasureBody,
  /**
   * The clinic's retention period in whole years (last writer wins; public stream): while the
   * patient's newest clinical entry is younger, erasure needs a manager's stated reason. 0: none.
   */
  'clinic.retention.set': z.strictObject({ years: z.number().int().min(0).max(RETENTION_YEARS_MAX) }),
} as const;
