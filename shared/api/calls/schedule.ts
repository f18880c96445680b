import { z } from 'zod';
import { Id, Millis } from '../schemas.js';
import { call } from './define.js';
import { AppointmentStatus } from '../../ledger/kinds/schedule.js';

// The statuses are part of the stored appointment bodies (shared/ledger/kinds/schedule.ts).
export { APPOINTMENT_STATUSES, AppointmentStatus } from '../../ledger/kinds/schedule.js';

export const Room = z.object({ roomId: Id, name: z.string(), active: z.boolean() });
export const AppointmentType = z.object({ typeId: Id, name: z.string(), minutes: z.number().int(), category: z.string(), active: z.boolean() });

export const Appointment = z.object({
  appointmentId: Id,
  patientId: Id,
  patientName: z.string().nullable(),
  /** YYYY-MM-DD: the second identifier shown beside the name (null when the record cannot be read here). */
  patientDateOfBirth: z.string().nullable(),
  /** How many other patients of the clinic share this patient's family and given name (accents and case ignored). */
  patientNamesakes: z.number().int().min(0),
  therapistId: Id,
  therapistName: z.string().nullable(),
  roomId: Id.nullable(),
  roomName: z.string().nullable(),
  typeId: Id,
  typeName: z.string().nullable(),
  start: Millis,
  end: Millis,
  seriesId: Id.nullable(),
  status: AppointmentStatus,
  statusReason: z.string().nullable(),
  /** Overlaps another active appointment of the same therapist or room. */
  conflict: z.boolean(),
});
export type Appointment = z.infer<typeof Appointment>;

/** One signed step of a visit's history (`schedule.history`). */
export const VisitEvent = z.object({
  at: Millis,
  byName: z.string().nullable(),
  kind: z.enum(['booked', 'moved', 'status']),
  /** For 'moved': the new start; for 'booked': the start. */
  start: Millis.nullable(),
  status: AppointmentStatus.nullable(),
  reason: z.string().nullable(),
});
export type VisitEvent = z.infer<typeof VisitEvent>;

const Minutes = z
  .number({ error: 'Enter the length in minutes.' })
  .int('Use whole minutes.')
  .min(5, 'At least 5 minutes.')
  .max(480, 'At most 8 hours.');

export const BookInput = z.strictObject({
  patientId: Id,
  therapistId: Id,
  roomId: Id.nullable(),
  typeId: Id,
  start: Millis,
  /** Defaults to the appointment type's length. */
  minutes: Minutes.optional(),
  /** 1 = a single visit; 2–52 = the same weekday and time for that many weeks (a series). */
  weeks: z.number().int().min(1).max(52, 'A series can be at most 52 weeks.'),
  /** Book even over a double booking (the warning was shown and accepted). */
  allowConflict: z.boolean(),
  /** The person confirmed recording a past visit: a start before now is refused without it. */
  allowPast: z.boolean().optional(),
});

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 08:30.');
export const WeeklyHours = z
  .array(
    z
      .strictObject({ weekday: z.number().int().min(1).max(7), start: HHMM, end: HHMM })
      .refine((s) => s.start < s.end, 'Each block must end after it starts.'),
  )
  .max(28, 'At most 28 blocks a week.');
export const Availability = z.object({ therapistId: Id, weekly: WeeklyHours });
export const TimeOff = z.object({ timeoffId: Id, therapistId: Id, start: Millis, end: Millis, reason: z.string() });

const SCHEDULERS = ['front_desk', 'manager'] as const;
const EVERYONE = ['manager', 'therapist', 'assistant', 'front_desk'] as const;

export const scheduleCalls = {
  'schedule.rooms': call({ input: z.strictObject({}), output: z.array(Room), access: EVERYONE, reads: null, summary: 'Rooms and tables.' }),
  'schedule.defineRoom': call({
    input: z.strictObject({ roomId: Id.nullable(), name: z.string().trim().min(1, 'Name the room.').max(80), active: z.boolean() }),
    output: Room,
    access: ['manager'],
    reads: null,
    summary: 'Adds or renames a room, or retires it.',
  }),
  'schedule.types': call({
    input: z.strictObject({}),
    output: z.array(AppointmentType),
    access: EVERYONE,
    reads: null,
    summary: 'Appointment types with default lengths.',
  }),
  'schedule.defineType': call({
    input: z.strictObject({
      typeId: Id.nullable(),
      name: z.string().trim().min(1, 'Name the appointment type.').max(80),
      minutes: Minutes,
      category: z.enum(['evaluation', 'follow_up', 're_evaluation', 'other']),
      active: z.boolean(),
    }),
    output: AppointmentType,
    access: ['manager'],
    reads: null,
    summary: 'Adds or changes an appointment type.',
  }),
  'schedule.availability': call({
    input: z.strictObject({}),
    output: z.object({ availability: z.array(Availability), timeOff: z.array(TimeOff) }),
    access: EVERYONE,
    reads: null,
    summary: "Therapists' weekly hours and their time off.",
  }),
  'schedule.setAvailability': call({
    input: z.strictObject({ therapistId: Id, weekly: WeeklyHours }),
    output: Availability,
    access: ['manager', 'therapist', 'assistant'],
    reads: null,
    summary: 'Sets weekly hours (UTC): managers for anyone, therapists for themselves.',
  }),
  'schedule.addTimeOff': call({
    input: z
      .strictObject({ therapistId: Id, start: Millis, end: Millis, reason: z.string().trim().max(200) })
      .refine((t) => t.start < t.end, 'Time off must end after it starts.'),
    output: TimeOff,
    access: ['manager', 'therapist', 'assistant'],
    reads: null,
    summary: 'Records time off: managers for anyone, therapists for themselves.',
  }),
  'schedule.removeTimeOff': call({
    input: z.strictObject({ timeoffId: Id }),
    output: z.null(),
    access: ['manager', 'therapist', 'assistant'],
    reads: null,
    summary: 'Removes a time-off entry.',
  }),
  'schedule.book': call({
    input: BookInput,
    output: z.array(Appointment),
    access: SCHEDULERS,
    reads: { kind: 'written' },
    summary: 'Books a visit or a weekly series; refused over a double booking unless allowConflict.',
  }),
  'schedule.move': call({
    input: z.strictObject({
      appointmentId: Id,
      start: Millis,
      therapistId: Id.optional(),
      roomId: Id.nullable().optional(),
      /** 'one' moves this visit; 'following' shifts this and the later visits of its series by the same amount. */
      scope: z.enum(['one', 'following']),
      allowConflict: z.boolean(),
      /** The person confirmed moving the visit to a time that has passed. */
      allowPast: z.boolean().optional(),
    }),
    output: z.array(Appointment),
    access: SCHEDULERS,
    reads: { kind: 'written' },
    summary: 'Moves a visit (or it and the following visits of its series); into the past only with allowPast.',
  }),
  'schedule.setStatus': call({
    input: z.strictObject({
      appointmentId: Id,
      status: z.enum(['booked', 'checked_in', 'completed', 'no_show', 'cancelled']),
      reason: z.string().trim().max(300).nullable(),
      scope: z.enum(['one', 'following']),
      /** With 'cancelled': the Undo right after booking, recorded as a plain cancellation whatever the notice. */
      bookedInError: z.boolean().optional(),
    }),
    output: z.array(Appointment),
    access: EVERYONE,
    reads: { kind: 'written' },
    summary:
      'Check in (from the clinic’s check-in window before the start), complete, no-show (after the start), cancel (late when under 24 h), or undo (with a reason).',
  }),
  'schedule.history': call({
    input: z.strictObject({ appointmentId: Id }),
    output: z.array(VisitEvent),
    access: EVERYONE,
    reads: { kind: 'service' },
    summary: "A visit's history: booking, moves and status changes, who recorded them and why, oldest first.",
  }),
  'schedule.nextFree': call({
    input: z.strictObject({ therapistId: Id.nullable(), roomId: Id.nullable(), minutes: Minutes }),
    output: z.object({ start: Millis.nullable() }),
    access: SCHEDULERS,
    reads: null,
    summary: "The next free start (quarter hours) in the therapist's or the clinic's hours, within 8 weeks; null when none.",
  }),
  'schedule.range': call({
    input: z.strictObject({ from: Millis, to: Millis, therapistId: Id.optional(), roomId: Id.optional(), patientId: Id.optional() }),
    output: z.array(Appointment),
    access: EVERYONE,
    reads: { kind: 'listed', patients: (output) => output.map((a) => a.patientId) },
    summary: 'Appointments that overlap [from, to), optionally for one therapist, room or patient.',
  }),
  'schedule.conflicts': call({
    input: z.strictObject({ from: Millis }),
    output: z.array(z.object({ a: Appointment, b: Appointment, over: z.enum(['therapist', 'room']) })),
    access: EVERYONE,
    reads: { kind: 'listed', patients: (output) => output.flatMap((c) => [c.a.patientId, c.b.patientId]) },
    summary: 'Double bookings from a time on (including ones made offline on two devices).',
  }),
} as const;
