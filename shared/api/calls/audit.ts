import { z } from 'zod';
import { ENTRY_KINDS } from '../../ledger/kinds/index.js';
import { Id, Millis, NoInput } from '../schemas.js';
import { VerifyOutcome } from './clinic.js';
import { call } from './define.js';

/**
 * Kinds that are not a person's or a device's act, so not rows of the audit report
 * (docs/architecture.md#audit-report): checkpoints, which the sync machinery signs and witnesses
 * once a minute while a device syncs (the summary counts them instead), and a trusted clinic's
 * room secret, the network's plumbing recorded by its `clinic.trusted`.
 */
export const NOT_AUDITED_KINDS: readonly string[] = ['checkpoint.signed', 'checkpoint.witnessed', 'trust.secret'];

/** The actions (entry kinds) the audit report lists, in name order. */
export const AUDIT_ACTIONS: readonly string[] = ENTRY_KINDS.filter((k) => !NOT_AUDITED_KINDS.includes(k)).sort();

/**
 * Kinds that record a manager's review of an emergency (break-the-glass) access: any `access.review…`
 * kind this build knows, so the summary counts reviews once that kind exists.
 */
export const REVIEW_ACTIONS: readonly string[] = ENTRY_KINDS.filter((k) => k.startsWith('access.review'));

/** The longest period one report covers: ten years of days, so a mistyped year is refused rather than scanned. */
export const AUDIT_MAX_DAYS = 3660;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const realDay = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};
const Day = (what: string) =>
  z
    .string({ error: `Enter the ${what} day.` })
    .trim()
    .regex(DAY, `Enter the ${what} day as YYYY-MM-DD.`)
    .refine(realDay, `The ${what} day does not exist.`);

/**
 * What an audit report selects (the screen, the CSV, the PDF, the bundle and `movelog report
 * audit` take the same): clinic-local days `from`..`to`, both included, and optionally one staff
 * member, one patient (their own streams and the lists that showed them), one action, and the
 * clinic whose computer signed.
 */
export const AuditFilter = z
  .strictObject({
    from: Day('first'),
    to: Day('last'),
    staffId: Id.optional(),
    patientId: Id.optional(),
    action: z
      .string()
      .refine((a) => AUDIT_ACTIONS.includes(a), 'Choose an action from the list.')
      .optional(),
    clinicId: Id.optional(),
  })
  .refine((f) => f.from <= f.to, { message: 'The first day comes after the last.', path: ['to'] })
  .refine((f) => (Date.parse(`${f.to}T00:00:00Z`) - Date.parse(`${f.from}T00:00:00Z`)) / 86_400_000 < AUDIT_MAX_DAYS, {
    message: `A report covers at most ${AUDIT_MAX_DAYS} days.`,
    path: ['to'],
  });
export type AuditFilter = z.output<typeof AuditFilter>;

export const AuditCursor = z.strictObject({ at: Millis, hash: z.string().regex(/^[0-9a-f]{64}$/, 'Not a valid position.') });

/** One row of the audit report: one signed entry, who, where, what. */
export const AuditRow = z.object({
  hash: z.string(),
  at: Millis,
  /** The entry kind ("access.read", "appointment.booked"): its words are in shared/api/labels.ts. */
  action: z.string(),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  role: z.string().nullable(),
  device: z.string(),
  deviceLabel: z.string().nullable(),
  clinicId: z.string().nullable(),
  clinicName: z.string().nullable(),
  /** The patient whose record the entry is in (null in the clinic's streams). */
  patientId: z.string().nullable(),
  /** Where this computer can open the patient's record: "Family, Given". */
  patientName: z.string().nullable(),
  /** How many patients a list (access.listed) showed. */
  patients: z.number().int().nullable(),
  stream: z.string(),
  /** ordinary / emergency for readings; null where not known (an opening without the patient's key). */
  mode: z.string().nullable(),
  via: z.string().nullable(),
  call: z.string().nullable(),
  what: z.string().nullable(),
  purpose: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditSummary = z.object({
  /** The period as instants: the first day's start up to (excluded) the day after the last. */
  from: Millis,
  until: Millis,
  timeZone: z.string(),
  total: z.number().int(),
  byAction: z.array(z.object({ action: z.string(), count: z.number().int() })),
  byStaff: z.array(z.object({ staffId: z.string().nullable(), name: z.string().nullable(), role: z.string().nullable(), count: z.number().int() })),
  /** Readings made as break-the-glass (mode emergency). */
  emergencies: z.number().int(),
  /** Reviews of emergency access (access.review… entries) in the period. */
  reviews: z.number().int(),
  refused: z.number().int(),
  /** The outcome of the last `verify` on this computer; null when it never ran. */
  integrity: VerifyOutcome.nullable(),
  checkpoints: z.object({
    total: z.number().int(),
    latest: z.object({ at: Millis, size: z.number().int(), witnesses: z.number().int() }).nullable(),
    byClinic: z.array(
      z.object({ clinicId: z.string().nullable(), clinicName: z.string().nullable(), checkpoints: z.number().int(), lastAt: Millis }),
    ),
  }),
});
export type AuditSummary = z.infer<typeof AuditSummary>;

/** Rows per page at most: the screen asks for a screenful or two at a time. */
export const AUDIT_PAGE_MAX = 500;

export const auditCalls = {
  'audit.rows': call({
    input: z.strictObject({
      filter: AuditFilter,
      /** The last row of the page before; null for the newest. */
      after: AuditCursor.nullable(),
      limit: z.number().int().min(1).max(AUDIT_PAGE_MAX),
    }),
    output: z.object({ rows: z.array(AuditRow), next: AuditCursor.nullable() }),
    access: ['manager'],
    // The rows name the patients whose records they are in: the page is a list of them.
    reads: { kind: 'listed', patients: (output) => output.rows.flatMap((r) => (r.patientId === null ? [] : [r.patientId])) },
    summary: 'One page of the audit report, newest first.',
  }),
  'audit.summary': call({
    input: z.strictObject({ filter: AuditFilter }),
    output: AuditSummary,
    access: ['manager'],
    reads: null,
    summary: "The audit report's totals: counts by action and staff, emergencies, refusals, integrity and witnessed checkpoints.",
  }),
  'audit.choices': call({
    input: NoInput,
    output: z.object({
      actions: z.array(z.string()),
      clinics: z.array(z.object({ id: z.string(), name: z.string() })),
      staff: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
    }),
    access: ['manager'],
    reads: null,
    summary: "What the audit report's filters offer: actions, clinics and staff.",
  }),
} as const;

/** Each audited action in words, as the report's screen and PDF say it; an unknown kind is shown as its name. */
const ACTION_WORDS: Readonly<Record<string, string>> = {
  'clinic.created': 'set up the clinic',
  'device.enrolled': 'added a computer',
  'device.revoked': 'removed a computer',
  'staff.added': 'added a staff member',
  'staff.deactivated': 'deactivated a staff member',
  'staff.reactivated': 'reactivated a staff member',
  'staff.passphrase.set': 'set a passphrase',
  'clinic.settings.set': 'changed the screen lock',
  'clinic.timezone.set': 'changed the time zone',
  'clinic.locale.set': 'changed the date format',
  'clinic.signin.set': 'changed the sign-in list',
  'clinic.hours.set': 'changed the opening hours',
  'clinic.checkin.set': 'changed the check-in window',
  'clinic.trusted': 'trusted a clinic',
  'clinic.untrusted': 'stopped trusting a clinic',
  'access.refused': 'was refused a request',
  'access.listed': 'saw patients in a list',
  'access.read': 'opened a record',
  'access.reviewed': 'reviewed an emergency access',
  'patient.erasure': "erased a patient's record",
  'clinic.carewindow.set': 'changed the care window',
  'clinic.retention.set': 'changed the retention period',
  'consent.granted': 'recorded consent',
  'consent.revoked': 'recorded consent withdrawn',
  'note.signed': 'signed a note',
  'note.addendum': 'added to a note',
  'note.cosigned': 'co-signed a note',
  'patient.registered': 'registered a patient',
  'patient.updated': "changed a patient's details",
  'patient.linked': 'linked two records',
  'patient.unlinked': 'unlinked two records',
  'room.defined': 'defined a room',
  'appointment.type.defined': 'defined a visit type',
  'availability.set': "set a therapist's hours",
  'timeoff.added': 'added time off',
  'timeoff.removed': 'removed time off',
  'appointment.booked': 'booked a visit',
  'appointment.moved': 'moved a visit',
  'appointment.status.set': "changed a visit's status",
};

export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}
