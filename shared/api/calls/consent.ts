import { z } from 'zod';
import { CONSENT_CATEGORIES, CONSENT_PURPOSES, DrawnSignature, StoredConsentDetails } from '../../ledger/kinds/consent.js';
import { Id, Millis } from '../schemas.js';
import { call } from './define.js';

export { CAPTURE_METHODS, CONSENT_CATEGORIES, CONSENT_PURPOSES } from '../../ledger/kinds/consent.js';
export type { ConsentCategory } from '../../ledger/kinds/consent.js';

const ClinicId = z.string().regex(/^[0-9a-f]{64}$/, 'Choose a trusted clinic.');
const EntryHash = z.string().regex(/^[0-9a-f]{64}$/, 'Not a valid consent reference.');

/** Categories as a person ticks them: at least one; stored in canonical order without repeats. */
export const ConsentCategories = z
  .array(z.enum(CONSENT_CATEGORIES, { error: 'Unknown part of the record.' }), { error: 'Choose what the clinic may see.' })
  .min(1, 'Choose at least one part of the record to share.')
  .transform((list) => CONSENT_CATEGORIES.filter((c) => list.includes(c)));

const Text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .max(max, `${what} must be at most ${String(max)} characters.`);

/** How the consent was captured, as typed or drawn on the Consent tab. */
export const ConsentCaptureInput = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('paper_form'), reference: Text('The form reference', 200).min(1, 'Say where the signed form is filed.') }),
    z.strictObject({ method: z.literal('drawn'), signature: DrawnSignature }),
    z.strictObject({ method: z.literal('verbal'), witness: Text("The witness's name", 120).min(1, 'Name the witness.') }),
  ],
  { error: 'Say how the patient gave consent.' },
);

export const ConsentGrantInput = z
  .strictObject({
    patientId: Id,
    grantee: ClinicId,
    categories: ConsentCategories,
    /** Start of sharing; null means now. */
    from: Millis.nullable(),
    /** End of sharing; null means until revoked. */
    until: Millis.nullable(),
    purpose: z.enum(CONSENT_PURPOSES, { error: 'Choose the purpose.' }),
    note: Text('The note', 500),
    capture: ConsentCaptureInput,
  })
  .refine((g) => g.purpose !== 'other' || g.note !== '', { message: 'Say what the purpose is.', path: ['note'] })
  .refine((g) => g.until === null || g.from === null || g.until > g.from, { message: 'The end must be after the start.', path: ['until'] });
export type ConsentGrantInput = z.input<typeof ConsentGrantInput>;

export const ConsentRevokeInput = z.strictObject({
  patientId: Id,
  /** The grantee clinic whose access ends. */
  clinic: ClinicId,
  /** One grant by its entry hash, or null: every grant to the clinic, for these categories. */
  grant: EntryHash.nullable(),
  categories: ConsentCategories,
  reason: Text('The reason', 500).min(1, 'Give the reason for the withdrawal.'),
});
export type ConsentRevokeInput = z.input<typeof ConsentRevokeInput>;

/** What one clinic may see of the patient now. */
export const ConsentAccess = z.object({
  clinicId: z.string(),
  clinicName: z.string().nullable(),
  categories: z.array(z.enum(CONSENT_CATEGORIES)),
  /** The latest end among the grants in force, or null (until revoked). */
  until: Millis.nullable(),
});

export const ConsentHistoryItem = z.object({
  hash: z.string(),
  kind: z.enum(['granted', 'revoked']),
  at: Millis,
  staffName: z.string().nullable(),
  /** The clinic whose device recorded it. */
  recordedBy: z.string().nullable(),
  /** The grantee clinic (of a grant) or the clinic whose access ends (of a revocation). */
  clinicId: z.string(),
  clinicName: z.string().nullable(),
  categories: z.array(z.enum(CONSENT_CATEGORIES)),
  from: Millis.nullable(),
  until: Millis.nullable(),
  /** Of a revocation: the one grant it names, or null for all grants to the clinic. */
  grant: z.string().nullable(),
  /** Purpose, note and capture (grants) — null when this computer cannot open them. */
  details: StoredConsentDetails.nullable(),
  /** Of a revocation, null when it cannot be opened. */
  reason: z.string().nullable(),
  /** Of a grant, now: in force, not started yet, ended by its period, or withdrawn (deny wins). */
  status: z.enum(['active', 'scheduled', 'expired', 'revoked']).nullable(),
});

export const ConsentState = z.object({
  patientId: Id,
  homeClinicId: z.string(),
  homeClinicName: z.string().nullable(),
  /** True when this clinic is not the patient's home clinic: it sees the record by consent. */
  shared: z.boolean(),
  /** True on a receiving clinic whose consent has ended: the record is locked here. */
  locked: z.boolean(),
  /** Who can see what now (on the home clinic: every grantee; on a grantee: itself). */
  access: z.array(ConsentAccess),
  /** Every grant and revocation, newest first. */
  history: z.array(ConsentHistoryItem),
});
export type ConsentState = z.infer<typeof ConsentState>;

const RECORDERS = ['front_desk', 'therapist', 'manager'] as const;

export const consentCalls = {
  'consent.get': call({
    input: z.strictObject({ patientId: Id }),
    output: ConsentState,
    access: ['manager', 'therapist', 'assistant', 'front_desk'],
    reads: { kind: 'listed', patients: (output) => [output.patientId] },
    summary: "Who can see which parts of a patient's record now, and the full history of grants and withdrawals.",
  }),
  'consent.grant': call({
    input: ConsentGrantInput,
    output: z.object({ hash: z.string() }),
    access: RECORDERS,
    reads: null,
    summary: "Records the patient's consent that a trusted clinic sees parts of their record, for a period.",
  }),
  'consent.revoke': call({
    input: ConsentRevokeInput,
    output: z.object({ hash: z.string() }),
    access: RECORDERS,
    reads: null,
    summary: "Records that the patient withdrew consent: the clinic's access to those parts ends.",
  }),
  'consent.summary': call({
    input: z.strictObject({}),
    output: z.array(
      z.object({
        clinicId: z.string(),
        clinicName: z.string().nullable(),
        /** Patients of this clinic that the other clinic may see now. */
        sharedWithThem: z.number().int().nonnegative(),
        /** Patients of the other clinic that this clinic may see now. */
        sharedWithUs: z.number().int().nonnegative(),
      }),
    ),
    access: ['manager'],
    reads: null,
    summary: 'Per trusted clinic, how many patients are shared each way.',
  }),
} as const;
