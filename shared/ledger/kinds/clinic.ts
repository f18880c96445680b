import { z } from 'zod';

export const Name = z.string().min(1).max(120);
export const Hex32 = z.string().regex(/^[0-9a-f]{32}$/);
export const Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Most patients one `access.listed` entry names. The writer also keeps an entry's ids under
 * 7,000 bytes, so it fits the ~12 KB a sync batch carries (docs/architecture.md#access-audit).
 */
export const LISTED_PATIENTS_MAX = 200;

/** Entries of the clinic streams (`c:<clinicId>/public` and `/private`). */
export const clinicKinds = {
  /** Genesis of a clinic: seq 1 of `c:<clinicId>/public`; its author is the clinic's first device. */
  'clinic.created': z.strictObject({ name: Name, nonce: Hex32 }),
  /** A device joins the clinic (signed by one of its devices, `by` a manager). */
  'device.enrolled': z.strictObject({ device: Key, label: Name }),
  /** A device is removed from the clinic: entries it signs from now on are refused. */
  'device.revoked': z.strictObject({ device: Key, reason: z.string().min(1).max(200) }),
  /**
   * A device signs a checkpoint of its local chain: after `size` entries stored on this device,
   * the chain head was `chain` (docs/architecture.md#witnessed-checkpoints). Later checkpoints of the same device must extend it.
   */
  'checkpoint.signed': z.strictObject({ size: z.number().int().min(1), chain: Hex64 }),
  /** Another device saw that checkpoint (the entry `checkpoint`) and countersigns it. */
  'checkpoint.witnessed': z.strictObject({ checkpoint: Hex64, device: Key, size: z.number().int().min(1), chain: Hex64 }),
  /** A staff member is added (public clinic stream: names and roles are a directory). */
  'staff.added': z.strictObject({
    staffId: Hex32,
    name: Name,
    role: z.enum(['manager', 'therapist', 'assistant', 'front_desk']),
    licence: z.string().max(60).nullable(),
  }),
  /** A staff member can no longer sign in or act; their past entries stay as they are. */
  'staff.deactivated': z.strictObject({ staffId: Hex32 }),
  /** A deactivated staff member may sign in again. */
  'staff.reactivated': z.strictObject({ staffId: Hex32 }),
  /** A staff member's sign-in verifier (private clinic stream only: it never leaves the clinic). */
  'staff.passphrase.set': z.strictObject({ staffId: Hex32, verifier: z.string().min(1).max(300) }),
  /** Clinic-wide settings (last writer wins per setting). */
  'clinic.settings.set': z.strictObject({ autoLockMinutes: z.number().int().min(1).max(240) }),
  /**
   * The clinic's time zone (IANA name), in which weekly hours and series are wall-clock times (last
   * writer wins). Checked here by shape only: whether a zone is known depends on a runtime's time
   * zone data, and ingest must give the same answer everywhere.
   */
  'clinic.timezone.set': z.strictObject({ timeZone: z.string().regex(/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/) }),
  /**
   * The clinic's locale (BCP 47 tag such as "en-GB"), in which every screen writes and reads dates
   * and times (last writer wins). Checked by shape only, like the time zone: which locales a
   * runtime knows depends on its ICU data.
   */
  'clinic.locale.set': z.strictObject({ locale: z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,6}$/) }),
  /**
   * Whether the sign-in screen lists the active staff by name (last writer wins; listed until a
   * manager says otherwise). When not, people type their name (docs/architecture.md#sign-in-sessions-and-roles).
   */
  'clinic.signin.set': z.strictObject({ namesAtSignIn: z.boolean() }),
  /**
   * The clinic's opening hours (HH:MM wall clock in the clinic's time zone, weekday 1 = Monday),
   * replacing the previous ones (last writer wins). They apply to a therapist who has no weekly
   * hours of their own (docs/architecture.md#schedule).
   */
  'clinic.hours.set': z.strictObject({
    weekly: z
      .array(
        z.strictObject({
          weekday: z.number().int().min(1).max(7),
          start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
          end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        }),
      )
      .max(28),
  }),
  /** How many minutes before a visit's start check-in opens (last writer wins; docs/architecture.md#schedule). */
  'clinic.checkin.set': z.strictObject({ minutes: z.number().int().min(0).max(1440) }),
  /**
   * The clinic trusts another clinic (its managers compared the safety number, `fingerprint`):
   * that clinic's public stream is accepted here and this clinic's public stream goes to it.
   */
  'clinic.trusted': z.strictObject({ clinic: Hex64, name: Name, fingerprint: z.string().regex(/^\d{5}( \d{5}){7}$/) }),
  /** Trust in that clinic is withdrawn: the pair room closes and its secret is retired. */
  'clinic.untrusted': z.strictObject({ clinic: Hex64, reason: z.string().min(1).max(200) }),
  /**
   * The secret of the room shared with a trusted clinic, sealed (AES-256-GCM) under a key derived
   * from the clinic room's secret, so every device of the clinic can join that room and no one
   * else can (private stream: it never leaves the clinic).
   */
  'trust.secret': z.strictObject({ clinic: Hex64, sealed: z.string().regex(/^[A-Za-z0-9_-]{80,200}$/) }),
  /** A refused request or a failed sign-in, kept as a record (private stream). `by` is who tried. */
  'access.refused': z.strictObject({ call: z.string().min(1).max(80), reason: z.string().min(1).max(200) }),
  /**
   * Patients shown in a list (search results, the calendar, Today, the duplicate check): one entry
   * per request, up to LISTED_PATIENTS_MAX patients each (a longer list takes several), in the
   * private stream, which never leaves the clinic's devices (docs/architecture.md#access-audit).
   * `by` is who read, the author the device.
   */
  'access.listed': z.strictObject({
    /** The API call that returned the patients (its words: CALL_WORDS in shared/api/labels.ts). */
    call: z.string().min(1).max(80),
    /** The acting staff member's role when they read. */
    role: z.enum(['manager', 'therapist', 'assistant', 'front_desk']),
    /** Which bridge carried the call: the app window, the browser host, or the command line. */
    via: z.enum(['ipc', 'ws', 'cli']),
    purpose: z.string().min(1).max(200),
    /** Break-the-glass reads will be 'emergency'; every read is 'ordinary' until then. */
    mode: z.enum(['ordinary', 'emergency']),
    /** The patients the reply named, each once, in the order shown. */
    patients: z
      .array(z.string().regex(/^[0-9a-f]{16,64}$/))
      .min(1)
      .max(LISTED_PATIENTS_MAX),
  }),
} as const;
