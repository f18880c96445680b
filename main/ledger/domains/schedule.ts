import {
  insertAppointment,
  insertTimeOff,
  markTimeOffRemoved,
  setAppointmentPlacement,
  setAppointmentStatus,
  upsertAppointmentType,
  upsertAvailability,
  upsertRoom,
} from '../../views/schedule.js';
import { openEntryBody } from '../seal.js';
import { patientOfStream } from '../streams.js';
import type { KindRule, PolicyContext } from './types.js';

type ScheduleKind =
  | 'room.defined'
  | 'appointment.type.defined'
  | 'availability.set'
  | 'timeoff.added'
  | 'timeoff.removed'
  | 'appointment.booked'
  | 'appointment.moved'
  | 'appointment.status.set';

/** Managers for anyone; therapists and assistants for themselves. */
const selfOrManager = (ctx: PolicyContext, therapistId: string) =>
  ctx.actorRole === 'manager' || ((ctx.actorRole === 'therapist' || ctx.actorRole === 'assistant') && ctx.entry.by === therapistId)
    ? null
    : "only a manager or the therapist can change a therapist's hours";

const managerOnly = (what: string) => (ctx: PolicyContext) => (ctx.actorRole === 'manager' ? null : `only a manager can ${what}`);
const schedulers = (ctx: PolicyContext) =>
  ctx.actorRole === 'front_desk' || ctx.actorRole === 'manager' ? null : 'only the front desk or a manager can book or move appointments';

/**
 * Appointment bodies are opened with the patient's key; an appointment this device cannot open
 * is not shown. Placement and status merge independently, each last writer wins on (height,
 * hash), so a move and a cancellation made concurrently both take effect (main/views/schedule.ts).
 */
export const scheduleRules: { readonly [K in ScheduleKind]: KindRule<K> } = {
  'room.defined': {
    stream: 'public',
    policy: managerOnly('define rooms'),
    reduce({ db }, body, _entry, at) {
      upsertRoom(db, body, at);
    },
  },
  'appointment.type.defined': {
    stream: 'public',
    policy: managerOnly('define appointment types'),
    reduce({ db }, body, _entry, at) {
      upsertAppointmentType(db, body, at);
    },
  },
  'availability.set': {
    stream: 'public',
    policy: (ctx, body) => selfOrManager(ctx, body.therapistId),
    reduce({ db }, body, _entry, at) {
      upsertAvailability(db, body, at);
    },
  },
  'timeoff.added': {
    stream: 'public',
    policy: (ctx, body) => selfOrManager(ctx, body.therapistId),
    reduce({ db }, body) {
      insertTimeOff(db, body);
    },
  },
  'timeoff.removed': {
    stream: 'public',
    // Removal is final (remove wins over a concurrent re-add of the same id, which cannot happen: ids are new).
    policy: (ctx) => (ctx.actorRole === null ? 'a staff member must remove time off' : null),
    reduce({ db }, body) {
      markTimeOffRemoved(db, body.timeoffId);
    },
  },
  'appointment.booked': {
    stream: 'schedule',
    policy: schedulers,
    reduce(ctx, body, entry, at) {
      const a = openEntryBody(ctx.keystore, 'appointment.booked', entry, body);
      if (a) insertAppointment(ctx.db, { ...a, patientId: patientOfStream(entry.stream) }, at);
    },
  },
  'appointment.moved': {
    stream: 'schedule',
    policy: schedulers,
    reduce(ctx, body, entry, at) {
      const moved = openEntryBody(ctx.keystore, 'appointment.moved', entry, body);
      if (moved) setAppointmentPlacement(ctx.db, moved.appointmentId, moved, at);
    },
  },
  'appointment.status.set': {
    stream: 'schedule',
    policy: (ctx) => (ctx.actorRole === null ? 'a staff member must record appointment status' : null),
    reduce(ctx, body, entry, at) {
      const set = openEntryBody(ctx.keystore, 'appointment.status.set', entry, body);
      if (set) setAppointmentStatus(ctx.db, set.appointmentId, set, at);
    },
  },
};
