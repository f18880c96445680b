import { z } from 'zod';
import { canonicalLocale, isLocale } from '../locale.js';
import { isTimeZone } from '../time.js';

/** A short human-entered label: trimmed, 1–120 characters, no control characters. */
export function label(what: string) {
  return (
    z
      .string({ error: `${what} must be text.` })
      .trim()
      .min(1, `${what} is required.`)
      .max(120, `${what} must be at most 120 characters.`)
      // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what} must not contain control characters.`)
  );
}

/**
 * A staff passphrase. NIST SP 800-63B: long passphrases allowed, no composition rules; we ask for
 * at least 10 characters and cap the length so hashing cannot be used to exhaust memory.
 */
export const Passphrase = z
  .string({ error: 'Passphrase must be text.' })
  .min(10, 'Passphrase must be at least 10 characters.')
  .max(1024, 'Passphrase must be at most 1024 characters.');

/** Ids are lowercase hex (a hash, or random bytes). */
export const Id = z.string().regex(/^[0-9a-f]{16,64}$/, 'Not a valid id.');

/** Milliseconds since the epoch, integer. */
export const Millis = z.number().int().nonnegative();

export const StaffMember = z.object({
  id: Id,
  name: z.string(),
  role: z.enum(['manager', 'therapist', 'assistant', 'front_desk']),
});

export const Clinic = z.object({
  id: Id,
  name: z.string(),
  createdAt: Millis,
  manager: StaffMember,
});

export const ClinicStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('setup-required') }),
  /** This device joined a clinic with a pairing code and is receiving its records. */
  z.object({ state: z.literal('joining'), entries: z.number().int().nonnegative() }),
  z.object({ state: z.literal('ready'), clinic: Clinic }),
]);

/** An IANA time zone this runtime knows, e.g. "Europe/Berlin". */
export const TimeZone = z
  .string({ error: 'Choose a time zone.' })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/, 'Choose a time zone such as Europe/London or America/New_York.')
  .refine(isTimeZone, 'Movelog does not know that time zone. Choose one from the list, such as Europe/London.');

/**
 * The clinic's locale, a BCP 47 tag such as "en-GB": how dates and times are written and typed
 * (docs/architecture.md#dates-times-and-the-clinic-locale). Stored in canonical form.
 */
export const Locale = z
  .string({ error: 'Choose a date and time format.' })
  .trim()
  .max(35, 'Choose a date and time format such as English (United Kingdom).')
  .refine(isLocale, 'Movelog does not know that date and time format. Choose one from the list, such as English (United Kingdom).')
  .transform((tag) => canonicalLocale(tag) ?? tag);

export const ClinicSetupInput = z.strictObject({
  clinicName: label('Clinic name'),
  managerName: label("Manager's name"),
  passphrase: Passphrase,
  /** Where the clinic is; defaults to this computer's time zone. */
  timeZone: TimeZone.optional(),
  /** How dates and times are written; defaults to this computer's locale. */
  locale: Locale.optional(),
});

export const NoInput = z.strictObject({});

/** The ledger's health as this device sees it (docs/architecture.md#pending-quarantine-and-forks: forks and quarantine are surfaced). */
export const LedgerStatus = z.object({
  entries: z.number().int(),
  chainHead: z.string(),
  pending: z.number().int(),
  quarantined: z.number().int(),
  recentQuarantine: z.array(z.object({ hash: z.string().nullable(), reason: z.string(), source: z.string(), receivedAt: Millis })),
  forks: z.array(
    z.object({ stream: z.string(), author: z.string(), seq: z.number().int(), storedHash: z.string(), otherHash: z.string(), detectedAt: Millis }),
  ),
  frozenAuthors: z.array(z.object({ author: z.string(), reason: z.string(), since: Millis })),
});
export type LedgerStatus = z.infer<typeof LedgerStatus>;

export type Clinic = z.infer<typeof Clinic>;
export type ClinicStatus = z.infer<typeof ClinicStatus>;
export type ClinicSetupInput = z.input<typeof ClinicSetupInput>;
export type StaffMember = z.infer<typeof StaffMember>;
