import { z } from 'zod';
import { SealedBody } from './patients.js';

const Hex32 = z.string().regex(/^[0-9a-f]{32}$/);
const Id = z.string().regex(/^[0-9a-f]{16,64}$/);
const Millis = z.number().int().nonnegative();

/**
 * Scheduling. Rooms and appointment types are clinic-wide (public clinic stream). Appointments
 * live in the patient's schedule stream `p:<patientId>/schedule`, so their bodies are sealed
 * (AppointmentBooked and friends, below, are the plaintexts).
 */
export const scheduleKinds = {
  /** A room or treatment table (last writer wins per room). */
  'room.defined': z.strictObject({ roomId: Hex32, name: z.string().min(1).max(80), active: z.boolean() }),
  /** An appointment type with its default length (last writer wins per type). */
  'appointment.type.defined': z.strictObject({
    typeId: Hex32,
    name: z.string().min(1).max(80),
    minutes: z.number().int().min(5).max(480),
    category: z.enum(['evaluation', 'follow_up', 're_evaluation', 'other']),
    active: z.boolean(),
  }),
  /** A therapist's usual weekly hours (HH:MM wall clock in the clinic's time zone, `clinic.timezone.set`), replacing the previous pattern. */
  'availability.set': z.strictObject({
    therapistId: Hex32,
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
  /** Time off for a therapist (holiday, training, illness). */
  'timeoff.added': z.strictObject({
    timeoffId: Hex32,
    therapistId: Hex32,
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    reason: z.string().max(200),
  }),
  'timeoff.removed': z.strictObject({ timeoffId: Hex32 }),
  'appointment.booked': SealedBody,
  'appointment.moved': SealedBody,
  'appointment.status.set': SealedBody,
} as const;

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'completed', 'no_show', 'cancelled', 'late_cancelled'] as const;
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Stored plaintext of `appointment.booked` (shapes only, docs/architecture.md#stored-bodies). */
export const AppointmentBooked = z.strictObject({
  appointmentId: Id,
  therapistId: Id,
  roomId: Id.nullable(),
  typeId: Id,
  start: Millis,
  end: Millis,
  seriesId: Id.nullable(),
});
/** Stored plaintext of `appointment.moved` (new time and/or people and place). */
export const AppointmentMoved = z.strictObject({ appointmentId: Id, therapistId: Id, roomId: Id.nullable(), start: Millis, end: Millis });
/** Stored plaintext of `appointment.status.set`. */
export const AppointmentStatusSet = z.strictObject({ appointmentId: Id, status: AppointmentStatus, reason: z.string().max(300).nullable() });

/** The opened plaintext of each sealed kind of the schedule stream. */
export const schedulePlaintexts = {
  'appointment.booked': AppointmentBooked,
  'appointment.moved': AppointmentMoved,
  'appointment.status.set': AppointmentStatusSet,
} as const;
