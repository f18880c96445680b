import { z } from 'zod';
import { Id, label, Locale, Millis, NoInput, Passphrase, TimeZone } from '../schemas.js';
import { call } from './define.js';
import { WeeklyHours } from './schedule.js';
import { CARE_WINDOW_MONTHS_MAX } from '../../ledger/kinds/care.js';

const RoleSchema = z.enum(['manager', 'therapist', 'assistant', 'front_desk'], { error: 'Choose a role.' });

export const SignInChoice = z.object({ id: Id, name: z.string(), role: RoleSchema });

export const Session = z.object({
  staffId: Id,
  name: z.string(),
  role: RoleSchema,
  /** Minutes without activity after which the screen locks (clinic setting). */
  autoLockMinutes: z.number().int(),
  /** The clinic's time zone (IANA), in which weekly hours and series are wall-clock times. */
  timeZone: z.string(),
  /** The clinic's locale (BCP 47), in which every screen writes and reads dates and times. */
  locale: z.string(),
});

export const ClinicSettings = z.object({
  autoLockMinutes: z.number().int(),
  timeZone: z.string(),
  /** Opening hours (wall clock in the clinic's zone); null when never set (then no hour is outside them). */
  openingHours: WeeklyHours.nullable(),
  /** Check-in opens this many minutes before a visit's start. */
  checkInMinutes: z.number().int(),
  /** The clinic's locale (BCP 47), in which every screen writes and reads dates and times. */
  locale: z.string(),
  /** Whether the sign-in screen lists the active staff by name (else people type their name). */
  namesAtSignIn: z.boolean(),
  /**
   * How many months back a visit keeps a therapist or assistant in a patient's care; outside it
   * they open the record only as an emergency access (docs/architecture.md#break-the-glass).
   */
  careWindowMonths: z.number().int(),
});

export const StaffRow = z.object({
  id: Id,
  name: z.string(),
  role: RoleSchema,
  licence: z.string().nullable(),
  active: z.boolean(),
  createdAt: Millis,
});

const Licence = z
  .string()
  .trim()
  .max(60, 'Licence number must be at most 60 characters.')
  .transform((s) => (s === '' ? null : s))
  .nullable();

export const StaffAddInput = z.strictObject({
  name: label('Name'),
  role: RoleSchema,
  licence: Licence,
  passphrase: Passphrase,
});

export const SignInInput = z
  .strictObject({
    /** Who signs in: the id chosen from the list, or (when the clinic lists no names) the name typed. */
    staffId: Id.optional(),
    name: z.string().trim().min(1, 'Enter your name.').max(200).optional(),
    passphrase: z.string({ error: 'Enter your passphrase.' }).min(1, 'Enter your passphrase.').max(1024),
  })
  .refine((s) => s.staffId !== undefined || s.name !== undefined, { message: 'Enter your name.', path: ['name'] });

export type Session = z.infer<typeof Session>;
export type StaffRow = z.infer<typeof StaffRow>;
export type SignInChoice = z.infer<typeof SignInChoice>;
export type StaffAddInput = z.input<typeof StaffAddInput>;

export const staffCalls = {
  'session.choices': call({
    input: NoInput,
    output: z.array(SignInChoice),
    access: 'anyone',
    reads: null,
    summary: 'Active staff who can sign in on this device (names and roles only).',
  }),
  'session.signIn': call({
    input: SignInInput,
    output: Session,
    access: 'anyone',
    reads: null,
    summary: 'Signs a staff member in on this connection with their passphrase.',
  }),
  'session.current': call({
    input: NoInput,
    output: Session.nullable(),
    access: 'anyone',
    reads: null,
    summary: 'Who is signed in on this connection, or null (also null once locked for idleness).',
  }),
  'session.signOut': call({
    input: NoInput,
    output: z.null(),
    access: 'anyone',
    reads: null,
    summary: 'Signs out (also used to lock the screen and to switch user).',
  }),
  'staff.list': call({
    input: NoInput,
    output: z.array(StaffRow),
    access: ['manager'],
    reads: null,
    summary: 'Every staff member, active or not.',
  }),
  'staff.refusals': call({
    input: z.strictObject({ limit: z.number().int().min(1).max(1_000).optional() }),
    output: z.array(
      z.object({
        at: Millis,
        staffName: z.string().nullable(),
        role: z.string().nullable(),
        call: z.string(),
        /** What was asked for, in words ("sign in"): shared/api/labels.ts. */
        request: z.string(),
        reason: z.string(),
      }),
    ),
    access: ['manager'],
    reads: null,
    summary: 'Requests this clinic refused (not allowed for the role, failed sign-ins), newest first.',
  }),
  'staff.add': call({
    input: StaffAddInput,
    output: StaffRow,
    access: ['manager'],
    reads: null,
    summary: 'Adds a staff member with a role and a first passphrase.',
  }),
  'staff.deactivate': call({
    input: z.strictObject({ staffId: Id }),
    output: StaffRow,
    access: ['manager'],
    reads: null,
    summary: 'Stops a staff member from signing in; their records stay.',
  }),
  'staff.reactivate': call({
    input: z.strictObject({ staffId: Id }),
    output: StaffRow,
    access: ['manager'],
    reads: null,
    summary: 'Lets a deactivated staff member sign in again.',
  }),
  'staff.setPassphrase': call({
    input: z.strictObject({ staffId: Id, passphrase: Passphrase }),
    output: z.null(),
    access: ['manager', 'therapist', 'assistant', 'front_desk'],
    reads: null,
    summary: 'Sets a passphrase: managers for anyone, everyone else for themself.',
  }),
  'settings.get': call({
    input: NoInput,
    output: ClinicSettings,
    access: ['manager', 'therapist', 'assistant', 'front_desk'],
    reads: null,
    summary: 'Clinic settings.',
  }),
  'settings.update': call({
    input: z
      .strictObject({
        autoLockMinutes: z
          .number({ error: 'Enter a number of minutes.' })
          .int('Use whole minutes.')
          .min(1, 'At least 1 minute.')
          .max(240, 'At most 240 minutes.')
          .optional(),
        timeZone: TimeZone.optional(),
        openingHours: WeeklyHours.optional(),
        checkInMinutes: z
          .number({ error: 'Enter a number of minutes.' })
          .int('Use whole minutes.')
          .min(0, 'At least 0 minutes (check-in opens at the start).')
          .max(1440, 'At most 1440 minutes (a day).')
          .optional(),
        locale: Locale.optional(),
        namesAtSignIn: z.boolean().optional(),
        careWindowMonths: z
          .number({ error: 'Enter a number of months.' })
          .int('Use whole months.')
          .min(1, 'At least 1 month.')
          .max(CARE_WINDOW_MONTHS_MAX, `At most ${String(CARE_WINDOW_MONTHS_MAX)} months.`)
          .optional(),
      })
      .refine(
        (s) =>
          s.autoLockMinutes !== undefined ||
          s.timeZone !== undefined ||
          s.openingHours !== undefined ||
          s.checkInMinutes !== undefined ||
          s.locale !== undefined ||
          s.namesAtSignIn !== undefined ||
          s.careWindowMonths !== undefined,
        'Change at least one setting.',
      ),
    output: ClinicSettings,
    access: ['manager'],
    reads: null,
    summary: 'Changes clinic settings.',
  }),
} as const;
