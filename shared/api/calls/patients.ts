import { z } from 'zod';
import { Id, label, Millis } from '../schemas.js';
import { call } from './define.js';
import { StoredPatientDetails } from '../../ledger/kinds/patients.js';

const optionalText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .max(max, `${what} must be at most ${max} characters.`)
    .transform((s) => (s === '' ? null : s))
    .nullable();

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as YYYY-MM-DD that exists (no 31 April) and is not in the future. */
export const DateOfBirth = z
  .string({ error: 'Enter the date of birth.' })
  .trim()
  .regex(ISO_DATE, 'Enter the date of birth as YYYY-MM-DD.')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'That date does not exist.')
  .refine((s) => s >= '1900-01-01', 'The date of birth must be after 1900.')
  .refine((s) => s <= new Date().toISOString().slice(0, 10), 'The date of birth cannot be in the future.');

const Phone = optionalText('Phone', 40).refine(
  (s) => s === null || (/^[+\d][\d\s().-]*$/.test(s) && s.replace(/\D/g, '').length >= 6),
  'Enter a phone number with at least 6 digits (digits, spaces, + ( ) - . allowed).',
);

/**
 * Demographics as a person types them: trimmed, empty optional fields as null, a date of birth
 * that exists and is not in the future. Its output is the stored plaintext of `patient.registered`
 * / `patient.updated` (StoredPatientDetails, which reducers read: it never looks at the clock).
 */
export const PatientDetails = z
  .strictObject({
    givenName: label('Given name'),
    familyName: label('Family name'),
    preferredName: optionalText('Preferred name', 120),
    dateOfBirth: DateOfBirth,
    sex: z.enum(['female', 'male', 'other', 'unknown'], { error: 'Choose the sex recorded for this patient.' }),
    phone: Phone,
    email: optionalText('Email', 200).refine((s) => s === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), 'Enter a valid email address.'),
    address: optionalText('Address', 300),
    emergencyContact: z
      .strictObject({ name: label('Emergency contact name'), phone: Phone, relationship: optionalText('Relationship', 60) })
      .nullable(),
    referralSource: optionalText('Referral source', 120),
    insurance: z.strictObject({ payer: label('Insurer'), memberId: optionalText('Member id', 60) }).nullable(),
  })
  .pipe(StoredPatientDetails);
export type PatientDetails = z.output<typeof PatientDetails>;
export type PatientDetailsInput = z.input<typeof PatientDetails>;

/** Another record of the same person, kept by another clinic (or by this one), and whose it is. */
export const LinkedRecord = z.object({
  patientId: Id,
  /** The clinic the record belongs to (its home clinic). */
  clinicId: z.string(),
  clinicName: z.string().nullable(),
  /** True when that record is this clinic's own (the other one is then the shared one). */
  own: z.boolean(),
  /** Whether this clinic may read that record's clinical notes now (its own, or shared with `clinical` and not locked). */
  notes: z.boolean(),
});
export type LinkedRecord = z.infer<typeof LinkedRecord>;

export const PatientSummary = z.object({
  patientId: Id,
  /** False when this device cannot read the record (key not held, or erased). */
  readable: z.boolean(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  phone: z.string().nullable(),
  registeredAt: Millis,
  /**
   * Null for the clinic's own patients. For a patient another clinic shares by consent
   * (docs/architecture.md#consent): which clinic, what, until when, and whether consent has ended
   * (the record is then locked on this computer).
   */
  sharing: z
    .object({
      homeClinicId: z.string(),
      homeClinicName: z.string().nullable(),
      categories: z.array(z.enum(['profile', 'schedule', 'clinical', 'access'])),
      until: Millis.nullable(),
      locked: z.boolean(),
    })
    .nullable(),
  /**
   * The other clinics' records of the same person that this record is linked with
   * (docs/architecture.md#linked-records): on this clinic's own record, the shared records it
   * links; on a shared record, this clinic's own record that links it. Empty when none.
   */
  links: z.array(LinkedRecord),
  /**
   * The record was erased at the patient's request (docs/architecture.md#erasure): when (the
   * erasure entry's time) and the day the request was received. Null when it was not.
   */
  erased: z.object({ at: Millis, requestedOn: z.string() }).nullable(),
});
export type PatientSummary = z.infer<typeof PatientSummary>;

export const PatientVersion = z.object({
  hash: z.string(),
  kind: z.enum(['patient.registered', 'patient.updated']),
  at: Millis,
  byName: z.string().nullable(),
  details: StoredPatientDetails.nullable(),
});

export const PatientRecord = z.object({
  summary: PatientSummary,
  details: StoredPatientDetails.nullable(),
  history: z.array(PatientVersion),
});
export type PatientRecord = z.infer<typeof PatientRecord>;

const DuplicateProbe = z.object({
  givenName: z.string().max(120),
  familyName: z.string().max(120),
  dateOfBirth: z.string().max(10),
  phone: z.string().max(40).nullable(),
});

const READ_ROLES = ['manager', 'therapist', 'assistant', 'front_desk'] as const;
/** Who may link two clinics' records of one person (docs/architecture.md#linked-records). */
const LINKERS = ['front_desk', 'therapist', 'manager'] as const;

export const patientCalls = {
  'patient.register': call({
    input: z.strictObject({ details: PatientDetails, confirmDuplicate: z.boolean() }),
    output: PatientSummary,
    access: ['front_desk', 'manager'],
    reads: { kind: 'written' },
    summary: 'Registers a patient. Refused with the likely duplicates unless confirmDuplicate is true.',
  }),
  'patient.update': call({
    input: z.strictObject({ patientId: Id, details: PatientDetails }),
    output: PatientSummary,
    access: ['front_desk', 'manager', 'therapist'],
    reads: { kind: 'written' },
    summary: "Records a new version of a patient's demographics (earlier versions stay).",
  }),
  'patient.get': call({
    input: z.strictObject({ patientId: Id }),
    output: PatientRecord,
    access: READ_ROLES,
    reads: { kind: 'service' },
    summary: "A patient's demographics and every earlier version, with who recorded it.",
  }),
  'patient.accessLog': call({
    input: z.strictObject({ patientId: Id }),
    output: z.array(
      z.object({
        at: z.number().int(),
        staffName: z.string().nullable(),
        role: z.string().nullable(),
        device: z.string().nullable(),
        /**
         * What was read (`access.read`'s sealed `what`; null when this computer cannot open it),
         * or 'listed': a list showed the patient (`access.listed`).
         */
        what: z.enum(['profile', 'clinical', 'listed']).nullable(),
        /** Of a list: the call that showed the patient (search, calendar, duplicate check…); else null. */
        call: z.string().nullable(),
        /** 'emergency' for a break-the-glass reading (docs/architecture.md#break-the-glass), else 'ordinary'. */
        mode: z.enum(['ordinary', 'emergency']),
        /** Of an emergency access: the reason the staff member gave; else null. */
        reason: z.string().nullable(),
        /** Of an emergency access: a manager's verdict once reviewed; else null. */
        verdict: z.enum(['justified', 'not_justified']).nullable(),
        /** The same in words: "opened the patient's details", "saw the patient in a list (search for patients)". */
        action: z.string(),
      }),
    ),
    access: ['manager'],
    reads: null,
    summary: "Who opened a patient's record or saw them in a list, what they read, when, and on which computer (newest first).",
  }),
  'patient.search': call({
    input: z.strictObject({ query: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }),
    output: z.array(PatientSummary),
    access: READ_ROLES,
    reads: { kind: 'listed', patients: (output) => output.map((p) => p.patientId) },
    summary: 'Finds patients by name (any word, prefix, accents ignored), date of birth or phone digits.',
  }),
  'patient.link': call({
    input: z.strictObject({ patientId: Id, otherPatientId: Id }),
    output: PatientSummary,
    access: LINKERS,
    reads: { kind: 'written' },
    summary:
      "Links this clinic's own record of a patient (patientId) with a record another clinic shares with it (otherPatientId): the same person. Refused unless the first is this clinic's and the second is shared and not locked.",
  }),
  'patient.unlink': call({
    input: z.strictObject({ patientId: Id, otherPatientId: Id }),
    output: PatientSummary,
    access: LINKERS,
    reads: { kind: 'written' },
    summary: "Withdraws a link between this clinic's own record of a patient and another clinic's record (a link made by mistake).",
  }),
  'patient.findDuplicates': call({
    input: DuplicateProbe,
    output: z.array(PatientSummary),
    access: ['front_desk', 'manager'],
    reads: { kind: 'listed', patients: (output) => output.map((p) => p.patientId) },
    summary: 'Patients who may be the same person: same date of birth and similar name, or same phone.',
  }),
} as const;
