import { z } from 'zod';
import { ERASURE_CHANNELS, OVERRIDE_REASON_MAX, RETENTION_YEARS_MAX } from '../../ledger/kinds/erasure.js';
import { Id, Millis, NoInput } from '../schemas.js';
import { call } from './define.js';
import { PatientSummary } from './patients.js';

/** Retention period used until a manager sets one (docs/architecture.md#erasure): legal minimums differ by country. */
export const DEFAULT_RETENTION_YEARS = 10;

/** The clinic's retention period (docs/architecture.md#erasure). */
export const Retention = z.object({
  /** Whole years from a patient's newest clinical entry during which erasure needs a stated reason; 0: none. */
  years: z.number().int().min(0),
  /** True while no manager has set it: `years` is then DEFAULT_RETENTION_YEARS. */
  isDefault: z.boolean(),
});
export type Retention = z.infer<typeof Retention>;

/** What the erase action on a patient's record needs to know (no patient data: dates and the rule only). */
export const ErasureStatus = z.object({
  /** The record's erasure, or null when it is not erased. */
  erased: z
    .object({
      at: Millis,
      requestedOn: z.string(),
      receivedVia: z.enum(ERASURE_CHANNELS),
      /** The retention override reason recorded with it, or null. */
      override: z.string().nullable(),
      byName: z.string().nullable(),
    })
    .nullable(),
  /** Null when this clinic may erase the record; else why not, in words (another clinic's patient). */
  refusal: z.string().nullable(),
  retention: Retention,
  /** When the patient's newest clinical entry was signed, or null when there is none. */
  newestClinicalAt: Millis.nullable(),
  /** Until when the retention period blocks erasure without a stated reason; null when it does not. */
  blockedUntil: Millis.nullable(),
});
export type ErasureStatus = z.infer<typeof ErasureStatus>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const ErasureRequest = z.strictObject({
  patientId: Id,
  /** The day the patient's request was received (YYYY-MM-DD; the service refuses a day after today). */
  requestedOn: z
    .string({ error: 'Enter the day the request was received.' })
    .trim()
    .regex(ISO_DATE, 'Enter the day the request was received as YYYY-MM-DD.')
    .refine((s) => {
      const [y, m, d] = s.split('-').map(Number) as [number, number, number];
      const date = new Date(Date.UTC(y, m - 1, d));
      return y >= 1970 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    }, 'That date does not exist.'),
  receivedVia: z.enum(ERASURE_CHANNELS, { error: 'Choose how the request was received.' }),
  /**
   * Why the retention period is overridden (needed only while it blocks the erasure). Stored in
   * clear in the erasure entry, which every clinic holding the record receives: no clinical details.
   */
  overrideReason: z
    .string({ error: 'The reason must be text.' })
    .trim()
    .max(OVERRIDE_REASON_MAX, `Keep the reason under ${String(OVERRIDE_REASON_MAX)} characters.`)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'The reason must be one line of text.')
    .transform((s) => (s === '' ? null : s))
    .nullable(),
  /** The patient's family name as the manager typed it to confirm (the record's id when this computer cannot read the name). */
  confirm: z.string().trim().max(200),
});

const RetentionInput = z.strictObject({
  years: z
    .number({ error: 'Enter the retention period in whole years.' })
    .int('Enter the retention period in whole years.')
    .min(0, 'The retention period cannot be negative (0: none).')
    .max(RETENTION_YEARS_MAX, `The retention period can be at most ${String(RETENTION_YEARS_MAX)} years.`),
});

export const erasureCalls = {
  'patient.erasureStatus': call({
    input: z.strictObject({ patientId: Id }),
    output: ErasureStatus,
    access: ['manager'],
    reads: null,
    summary: "Whether a patient's record is erased, whether this clinic may erase it, and whether the retention period blocks it.",
  }),
  'patient.erase': call({
    input: ErasureRequest,
    output: PatientSummary,
    access: ['manager'],
    reads: { kind: 'written' },
    summary:
      "Executes a patient's erasure request (GDPR Art. 17): signs patient.erasure, destroys every key of the patient and removes their plaintext from this computer; the clinic's other computers and other clinics holding the record follow. Refused while the retention period runs unless overrideReason is given.",
  }),
  'clinic.retention': call({
    input: NoInput,
    output: Retention,
    access: ['manager'],
    reads: null,
    summary: "The clinic's retention period for patients' records, in years (0: none).",
  }),
  'clinic.setRetention': call({
    input: RetentionInput,
    output: Retention,
    access: ['manager'],
    reads: null,
    summary: "Sets the clinic's retention period for patients' records, in whole years (0: none).",
  }),
} as const;
