import { z } from 'zod';

/**
 * A sealed body (docs/architecture.md#sealed-patient-bodies): patient-stream bodies are encrypted from the very first entry.
 * See main/ledger/seal.ts for the construction.
 */
export const SealedBody = z.strictObject({
  sealed: z.literal('A256GCM'),
  iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  ct: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(350_000),
});

/** Entries of a patient's profile stream `p:<patientId>/profile`; bodies are sealed PatientDetails. */
export const patientKinds = {
  /** The patient's first entry: demographics as registered. */
  'patient.registered': SealedBody,
  /** A new full snapshot of the demographics (last writer wins; every version stays in the ledger). */
  'patient.updated': SealedBody,
  /**
   * Someone opened the patient's record (`p:<patientId>/access`, see docs/architecture.md#access-audit): `by`
   * is who, the author is the device; the sealed body says what was read and why.
   */
  'access.read': SealedBody,
} as const;

/** What an `access.read` body holds, once opened. */
export const AccessReadDetails = z.strictObject({
  what: z.enum(['profile', 'clinical']),
  purpose: z.string().max(200),
});
export type AccessReadDetails = z.infer<typeof AccessReadDetails>;
