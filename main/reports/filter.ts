import { z } from 'zod';
import { instantAt } from '../../shared/time.js';

/**
 * What a manager's audit report selects (docs/architecture.md#audit-bundle): the audit entries
 * whose author's clock (`at`) falls on a clinic-local day from `from` to `to`, both included, and
 * that match every optional filter given. The CSV, PDF, screen and bundle take the same filter.
 */
export interface AuditFilter {
  /** First clinic-local day, YYYY-MM-DD. */
  readonly from: string;
  /** Last clinic-local day, YYYY-MM-DD, included. */
  readonly to: string;
  /** The staff member acting (`by`). */
  readonly staffId?: string;
  /** Entries in the patient's streams, and lists (`access.listed`) that named them. */
  readonly patientId?: string;
  /** One entry kind, e.g. `access.read`. */
  readonly action?: string;
  /** Entries signed by a device of this clinic. */
  readonly clinicId?: string;
}

/** At most this many days in one report: a decade, so a mistyped year is refused rather than scanned. */
export const AUDIT_MAX_DAYS = 3660;

const Day = z.iso.date({ error: 'must be a day as YYYY-MM-DD' });

const FilterFields = z
  .strictObject({
    from: Day,
    to: Day,
    staffId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, { error: 'must be a staff id (32 lowercase hex digits)' })
      .optional(),
    patientId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, { error: 'must be a patient id (32 lowercase hex digits)' })
      .optional(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+$/, { error: 'must be an entry kind such as access.read' })
      .optional(),
    clinicId: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'must be a clinic id (64 lowercase hex digits)' })
      .optional(),
  })
  .refine((f) => f.from <= f.to, { error: 'the first day comes after the last', path: ['to'] });

/** A filter as a report takes it: at most AUDIT_MAX_DAYS days. */
export const AuditFilterSchema = FilterFields.refine((f) => daysBetween(f.from, f.to) < AUDIT_MAX_DAYS, {
  error: `a report covers at most ${AUDIT_MAX_DAYS} days`,
  path: ['to'],
});

/**
 * Checks an input and returns the filter, or throws an Error whose message says what is wrong, in
 * words. `anyLength`: no limit on the number of days (a verifier checks a filter someone else chose).
 */
export function parseAuditFilter(input: unknown, opts: { readonly anyLength?: boolean } = {}): AuditFilter {
  const parsed = (opts.anyLength ? FilterFields : AuditFilterSchema).safeParse(input);
  if (parsed.success) return stripUndefined(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new Error(`Invalid audit filter${field ? ` (${field})` : ''}: ${issue?.message ?? 'not a filter'}.`);
}

/**
 * The instants the days cover in the clinic's time zone: `from` at 00:00 up to (excluded) the day
 * after `to` at 00:00, so a day of a clock change is 23 or 25 hours long, as the clinic lived it.
 */
export function auditInstantRange(filter: Pick<AuditFilter, 'from' | 'to'>, zone: string): { readonly from: number; readonly until: number } {
  return { from: instantAt(filter.from, '00:00', zone), until: instantAt(nextDay(filter.to), '00:00', zone) };
}

/** The calendar day after `day` (YYYY-MM-DD); calendar arithmetic, independent of any time zone. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function stripUndefined(f: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as unknown as AuditFilter;
}

/**
 * Kinds in a clinic's streams that are audit actions: readings and refusals (`access.*`), staff
 * and device events. `staff.passphrase.set` is not: its body is a passphrase verifier, which a
 * report handed outside the clinic must not carry. Every entry of a patient stream (`p:…`) is an
 * audit action too: it reads or writes that patient's record (docs/architecture.md#audit-bundle).
 */
export const AUDIT_CLINIC_KINDS: readonly string[] = ['staff.added', 'staff.deactivated', 'staff.reactivated', 'device.enrolled', 'device.revoked'];

/** Whether an entry of this stream and kind is an audit action. */
export function isAuditEntry(stream: string, kind: string): boolean {
  if (stream.startsWith('p:')) return true;
  return kind.startsWith('access.') || AUDIT_CLINIC_KINDS.includes(kind);
}

/** The clear fields of an entry that the filter reads (all of them are signed and in clear, even in patient streams). */
export interface AuditCandidate {
  readonly stream: string;
  readonly kind: string;
  readonly at: number;
  readonly by: string | null;
  readonly body: unknown;
}

/**
 * Whether an audit entry matches the filter: `at` within the instant range, and each filter given
 * (`clinicOf` answers whether the entry's author is a device of that clinic).
 */
export function matchesAuditFilter(
  e: AuditCandidate,
  filter: AuditFilter,
  range: { readonly from: number; readonly until: number },
  authorInClinic: (clinicId: string) => boolean,
): boolean {
  if (!isAuditEntry(e.stream, e.kind)) return false;
  if (e.at < range.from || e.at >= range.until) return false;
  if (filter.staffId !== undefined && e.by !== filter.staffId) return false;
  if (filter.action !== undefined && e.kind !== filter.action) return false;
  if (filter.patientId !== undefined && !namesPatient(e, filter.patientId)) return false;
  if (filter.clinicId !== undefined && !authorInClinic(filter.clinicId)) return false;
  return true;
}

/** An entry of the patient's own streams, or a list that showed them. */
function namesPatient(e: AuditCandidate, patientId: string): boolean {
  if (e.stream.startsWith(`p:${patientId}/`)) return true;
  if (e.kind !== 'access.listed' || typeof e.body !== 'object' || e.body === null) return false;
  const patients = (e.body as { patients?: unknown }).patients;
  return Array.isArray(patients) && patients.includes(patientId);
}
