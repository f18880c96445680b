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
  /**
   * Which of the patient's keys sealed it: 16 lowercase hex, the first 8 bytes of
   * SHA-256("movelog/kid/v1" ‖ 0x00 ‖ key) (docs/architecture.md#key-rotation). Absent in bodies
   * written before key ids existed; those open with the patient's original key.
   */
  kid: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
});

/** Entries of a patient's profile stream `p:<patientId>/profile`; bodies are sealed StoredPatientDetails. */
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
  /**
   * This clinic's own record of the patient and a record another clinic shares with it are the
   * same person (docs/architecture.md#linked-records): written in the own record's profile stream,
   * sealed (PatientLink).
   */
  'patient.linked': SealedBody,
  /** A link recorded by mistake is withdrawn (same stream and plaintext as the link). */
  'patient.unlinked': SealedBody,
} as const;

/**
 * What a stored `patient.registered` / `patient.updated` body holds, once opened: the shape only
 * (docs/architecture.md#stored-bodies). No trimming and no clock: the entry means the same on any
 * day it is read. The input schema (shared/api/calls/patients.ts) adds what a person must be told
 * when typing (a date that exists, not in the future, phone and email formats) and pipes into this.
 */
export const StoredPatientDetails = z.strictObject({
  givenName: z.string().min(1).max(120),
  familyName: z.string().min(1).max(120),
  preferredName: z.string().max(120).nullable(),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  phone: z.string().max(40).nullable(),
  email: z.string().max(200).nullable(),
  address: z.string().max(300).nullable(),
  emergencyContact: z
    .strictObject({ name: z.string().min(1).max(120), phone: z.string().max(40).nullable(), relationship: z.string().max(60).nullable() })
    .nullable(),
  referralSource: z.string().max(120).nullable(),
  insurance: z.strictObject({ payer: z.string().min(1).max(120), memberId: z.string().max(60).nullable() }).nullable(),
});
export type StoredPatientDetails = z.infer<typeof StoredPatientDetails>;

/**
 * What an `access.read` body holds, once opened. `mode` is absent in an ordinary reading (every
 * reading until break-the-glass exists); 'emergency' will mark a break-the-glass one. It is
 * written only then, so builds that do not know it keep opening ordinary readings
 * (docs/architecture.md#access-audit).
 */
export const AccessReadDetails = z.strictObject({
  what: z.enum(['profile', 'clinical']),
  purpose: z.string().max(200),
  mode: z.enum(['ordinary', 'emergency']).optional(),
});
export type AccessReadDetails = z.infer<typeof AccessReadDetails>;

/**
 * What a `patient.linked` / `patient.unlinked` body holds, once opened: the other record (a patient
 * id of this ledger) and the clinic that record belongs to, as it was when the link was made.
 */
export const PatientLink = z.strictObject({
  other: z.string().regex(/^[0-9a-f]{16,64}$/),
  otherHome: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PatientLink = z.infer<typeof PatientLink>;

/** The opened plaintext of each sealed kind of the patient's profile and access streams. */
export const patientPlaintexts = {
  'patient.registered': StoredPatientDetails,
  'patient.updated': StoredPatientDetails,
  'access.read': AccessReadDetails,
  'patient.linked': PatientLink,
  'patient.unlinked': PatientLink,
} as const;
