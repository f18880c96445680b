import { z } from 'zod';
import { CONSENT_CATEGORIES } from '../../ledger/kinds/consent.js';
import { Id, Millis } from '../schemas.js';
import { call } from './define.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day of the clinic's calendar as YYYY-MM-DD that exists (no 31 April). */
export const ReportDay = z
  .string({ error: 'Enter the date as YYYY-MM-DD.' })
  .trim()
  .regex(ISO_DATE, 'Enter the date as YYYY-MM-DD.')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1970;
  }, 'That date does not exist.');

/**
 * The patient and the period (clinic-local days, both included); a missing `to` is today, a
 * missing `from` six years before `to` (docs/architecture.md#the-patients-accounting).
 */
export const PatientReportInput = z
  .strictObject({
    patientId: Id,
    from: ReportDay.nullable().optional(),
    to: ReportDay.nullable().optional(),
  })
  .refine((i) => i.from == null || i.to == null || i.from <= i.to, { message: 'The period must start before it ends.', path: ['from'] });
export type PatientReportInput = z.input<typeof PatientReportInput>;

/** One reading of the record, or one list that showed the patient at this clinic. */
export const ReportAccess = z.object({
  at: Millis,
  staffName: z.string().nullable(),
  role: z.string().nullable(),
  clinicId: z.string().nullable(),
  clinicName: z.string().nullable(),
  /** True when the reading was made at this clinic. */
  here: z.boolean(),
  /** What was read (null: this computer cannot open the reading), or 'listed'. */
  what: z.enum(['profile', 'clinical', 'listed']).nullable(),
  /** 'emergency' for break-the-glass; null when this computer cannot open the reading. */
  mode: z.enum(['ordinary', 'emergency']).nullable(),
  /** Of an emergency reading: the reason the staff member gave. */
  reason: z.string().nullable(),
  /** What was read, in words ("read the clinical notes"). */
  action: z.string(),
});
export type ReportAccess = z.infer<typeof ReportAccess>;

/** One grant of the patient's consent: a disclosure to another clinic (HIPAA 45 CFR 164.528(b)(2)). */
export const ReportDisclosure = z.object({
  /** The consent entry it rests on (its hash) and when it was recorded. */
  hash: z.string(),
  recordedAt: Millis,
  recordedBy: z.string().nullable(),
  clinicId: z.string(),
  clinicName: z.string().nullable(),
  categories: z.array(z.enum(CONSENT_CATEGORIES)),
  /** The categories in words ("details, clinical notes"). */
  what: z.string(),
  /** The purpose in words, with the note; null when this computer cannot open the consent's details. */
  purpose: z.string().nullable(),
  /** How the patient gave consent, in words; null when it cannot be opened here. */
  capture: z.string().nullable(),
  /** Sharing starts (the grant's `from`) and ends by its period (`until`, null: until withdrawn). */
  from: Millis,
  until: Millis.nullable(),
  /** When sharing of the last category ended (withdrawn or its period passed), or null while it goes on. */
  ended: Millis.nullable(),
  status: z.enum(['active', 'scheduled', 'expired', 'revoked']),
  /** The withdrawals that ended some of its categories, oldest first. */
  revocations: z.array(
    z.object({
      hash: z.string(),
      at: Millis,
      categories: z.array(z.enum(CONSENT_CATEGORIES)),
      what: z.string(),
      reason: z.string().nullable(),
    }),
  ),
  /** How many times staff of the receiving clinic opened the record in the period (its readings that reached here). */
  openings: z.number().int().nonnegative(),
});
export type ReportDisclosure = z.infer<typeof ReportDisclosure>;

export const PatientAccessReport = z.object({
  patient: z.object({ patientId: Id, givenName: z.string(), familyName: z.string(), dateOfBirth: z.string().nullable() }),
  clinicId: z.string(),
  clinicName: z.string().nullable(),
  /** The clinic's time zone and locale: times are written as the clinic's clocks show them. */
  timeZone: z.string(),
  locale: z.string(),
  /** The patient's home clinic (the one whose consent shares the record); `shared` when it is not this clinic. */
  homeClinicName: z.string().nullable(),
  shared: z.boolean(),
  /** The period, clinic-local days, both included. */
  from: z.string(),
  to: z.string(),
  madeAt: Millis,
  /** Oldest first. */
  accesses: z.array(ReportAccess),
  /** Grants in force at some time in the period, oldest first. */
  disclosures: z.array(ReportDisclosure),
});
export type PatientAccessReport = z.infer<typeof PatientAccessReport>;

export const patientReportCalls = {
  'patient.accessReport': call({
    input: PatientReportInput,
    output: PatientAccessReport,
    // The front desk hands the report over and managers answer for it; therapists and assistants
    // need neither their colleagues' readings nor the disclosures for care
    // (docs/architecture.md#the-patients-accounting).
    access: ['front_desk', 'manager'],
    reads: { kind: 'listed', patients: (output) => [output.patient.patientId] },
    summary:
      "A patient's accounting: who accessed their record (readings at any clinic holding it, lists here) and every disclosure to another clinic under their consent, for a period (six years by default).",
  }),
} as const;
