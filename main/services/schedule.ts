import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { Appointment, AppointmentStatus, CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { addWallClockWeeks, wallClock, zonedLabel } from '../../shared/time.js';
import { clinicTimeZone, findStaff } from '../clinic/staffQueries.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { clinicStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import { staffName } from '../views/clinic.js';
import { patientExists } from '../views/patients.js';
import {
  activeOverlapping,
  activeTypeMinutes,
  appointmentsBetween,
  findAppointment,
  listAppointmentTypes,
  listAvailability,
  listRooms,
  listTimeOff,
  overlappingPairs,
  roomIsOpen,
  seriesFrom,
  timeOffDuring,
  timeOffTherapist,
  weeklyHours,
} from '../views/schedule.js';
import type { WeeklyBlock } from '../views/schedule.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';

export interface ScheduleDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly now: () => number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Cancelled with less notice than this is a late cancellation (a common clinic policy). */
export const LATE_CANCEL_MS = 24 * 60 * 60 * 1000;

function appointment(db: Db, id: string): Appointment {
  const found = findAppointment(db, id);
  if (!found) throw new ApiFailure('not_found', 'There is no such appointment.');
  return found;
}

export function appointmentsInRange(db: Db, input: CallParsedInput<'schedule.range'>): Appointment[] {
  return appointmentsBetween(db, input);
}

/** A time for a therapist, and a room or none. */
interface Slot {
  readonly therapistId: string;
  readonly roomId: string | null;
  readonly start: number;
  readonly end: number;
}

/** Active appointments that would overlap [start, end) for this therapist or room, other than `ignore`. */
function clashes(db: Db, slot: Slot, ignore: readonly string[]): Appointment[] {
  return activeOverlapping(db, slot).filter((a) => !ignore.includes(a.appointmentId));
}

/** Whether [start, end) lies inside one block of the weekly hours, as wall-clock times in `zone`. */
function withinWeeklyHours(weekly: readonly WeeklyBlock[], slot: { start: number; end: number }, zone: string): boolean {
  const from = wallClock(slot.start, zone);
  const to = wallClock(slot.end, zone);
  // A visit that ends on another day than it starts (or ends exactly at midnight) is outside any block.
  const endMinutes = to.date === from.date ? to.minutes : to.minutes === 0 ? 24 * 60 : -1;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return weekly.some((b) => b.weekday === from.weekday && minutes(b.start) <= from.minutes && endMinutes >= 0 && endMinutes <= minutes(b.end));
}

/**
 * Why a therapist is not working during [start, end), or null: during their time off, or outside
 * their weekly hours (wall clock in the clinic's time zone; no hours recorded means no restriction).
 */
function unavailableReason(db: Db, slot: Slot, zone: string): string | null {
  const name = staffName(db, slot.therapistId) ?? 'The therapist';
  const off = timeOffDuring(db, slot.therapistId, slot.start, slot.end);
  if (off) return `${name} is off then${off.reason ? ` (${off.reason})` : ''}.`;
  const weekly = weeklyHours(db, slot.therapistId);
  if (weekly === null || withinWeeklyHours(weekly, slot, zone)) return null;
  return `${name} does not usually work then (see their weekly hours).`;
}

/** Refuses a double booking or a time the therapist does not work, unless the person accepted it (`verb`: book, move). */
function checkSlots(db: Db, slots: readonly Slot[], ignore: readonly string[], zone: string, verb: string): void {
  const found = slots.flatMap((v) => clashes(db, v, ignore));
  if (found.length > 0) throw new ApiFailure('conflict', clashMessage(found, zone));
  const away = slots.map((v) => unavailableReason(db, v, zone)).find((r) => r !== null);
  if (away) throw new ApiFailure('conflict', `${away} Choose another time, or ${verb} anyway.`);
}

function clashMessage(found: Appointment[], zone: string): string {
  const first = found[0] as Appointment;
  return `Double booking: ${first.therapistName ?? 'the therapist'}${first.roomName ? ` or ${first.roomName}` : ''} already has ${first.patientName ?? 'a patient'} at ${zonedLabel(first.start, zone)}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}. Choose another time, or book anyway.`;
}

/** The patient's data key; refuses when this computer does not hold it. */
function patientKey(deps: ScheduleDeps, patientId: string): Buffer {
  const key = deps.keystore.keyFor(patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  return key;
}

export function book(deps: ScheduleDeps, input: CallParsedInput<'schedule.book'>, ctx: CallContext): Appointment[] {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  if (!patientExists(db, input.patientId)) throw new ApiFailure('not_found', 'There is no such patient.');
  const therapist = findStaff(db, input.therapistId);
  if (!therapist?.active || (therapist.role !== 'therapist' && therapist.role !== 'assistant'))
    throw new ApiFailure('invalid_input', 'Choose an active therapist or assistant.');
  const typeMinutes = activeTypeMinutes(db, input.typeId);
  if (typeMinutes === null) throw new ApiFailure('invalid_input', 'Choose an appointment type.');
  if (input.roomId && !roomIsOpen(db, input.roomId)) throw new ApiFailure('invalid_input', 'Choose an open room.');
  const length = (input.minutes ?? typeMinutes) * 60_000;
  const seriesId = input.weeks > 1 ? randomBytes(16).toString('hex') : null;
  const zone = clinicTimeZone(db);
  const visits = Array.from({ length: input.weeks }, (_, i) => {
    // The same wall-clock time each week in the clinic's time zone, across clock changes.
    const start = addWallClockWeeks(input.start, i, zone);
    return {
      appointmentId: randomBytes(16).toString('hex'),
      therapistId: input.therapistId,
      roomId: input.roomId,
      typeId: input.typeId,
      start,
      end: start + length,
      seriesId,
    };
  });
  return db
    .transaction(() => {
      if (!input.allowConflict) checkSlots(db, visits, [], zone, 'book');
      const key = patientKey(deps, input.patientId);
      deps.ledger.appendMany(visits.map((v) => sealedDraft(key, input.patientId, 'appointment.booked', v, by)));
      return visits.map((v) => appointment(db, v.appointmentId));
    })
    .immediate();
}

/** The visit, or it and the later visits of its series. */
function withFollowing(db: Db, a: Appointment, scope: 'one' | 'following'): Appointment[] {
  return scope === 'one' || a.seriesId === null ? [a] : seriesFrom(db, a.seriesId, a.start);
}

export function move(deps: ScheduleDeps, input: CallParsedInput<'schedule.move'>, ctx: CallContext): Appointment[] {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const target = appointment(db, input.appointmentId);
  if (target.status !== 'booked')
    throw new ApiFailure('conflict', 'Only a booked visit can be moved (this one is already checked in, done or cancelled).');
  const affected = withFollowing(db, target, input.scope).filter((a) => a.status === 'booked');
  const zone = clinicTimeZone(db);
  // This and the following visits go to the new weekday and wall-clock time, a week apart as before.
  const moved = affected.map((a) => {
    const start = addWallClockWeeks(input.start, Math.round((a.start - target.start) / WEEK_MS), zone);
    return {
      appointmentId: a.appointmentId,
      therapistId: input.therapistId ?? a.therapistId,
      roomId: input.roomId === undefined ? a.roomId : input.roomId,
      start,
      end: start + (a.end - a.start),
    };
  });
  return db
    .transaction(() => {
      const ids = moved.map((m) => m.appointmentId);
      if (!input.allowConflict) checkSlots(db, moved, ids, zone, 'move');
      const key = patientKey(deps, target.patientId);
      deps.ledger.appendMany(moved.map((m) => sealedDraft(key, target.patientId, 'appointment.moved', m, by)));
      return moved.map((m) => appointment(db, m.appointmentId));
    })
    .immediate();
}

/** Which status changes make sense from which status (undo included). */
const TRANSITIONS: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['checked_in', 'no_show', 'cancelled', 'late_cancelled'],
  checked_in: ['completed', 'booked'],
  no_show: ['booked'],
  completed: [],
  cancelled: ['booked'],
  late_cancelled: ['booked'],
};

export function setStatus(deps: ScheduleDeps, input: CallParsedInput<'schedule.setStatus'>, ctx: CallContext): Appointment[] {
  const by = actingStaff(ctx);
  const role = ctx.session?.role;
  const db = deps.ledger.db;
  const target = appointment(db, input.appointmentId);
  if (role === 'therapist' || role === 'assistant') {
    if (target.therapistId !== by) throw new ApiFailure('forbidden', 'You can only record visits on your own schedule.');
    if (input.status !== 'checked_in' && input.status !== 'completed' && input.status !== 'no_show') {
      throw new ApiFailure('forbidden', 'Ask the front desk to cancel or reinstate a visit.');
    }
  }
  if (input.status === 'cancelled' && !input.reason) throw new ApiFailure('invalid_input', 'Give a reason for the cancellation.');
  const affected = input.status === 'cancelled' ? withFollowing(db, target, input.scope) : [target];
  const drafts = affected.flatMap((a) => {
    const status: AppointmentStatus = input.status === 'cancelled' && a.start - deps.now() < LATE_CANCEL_MS ? 'late_cancelled' : input.status;
    if (a.status === status) return [];
    if (!TRANSITIONS[a.status].includes(status)) {
      if (a.appointmentId === target.appointmentId)
        throw new ApiFailure('conflict', `A visit that is ${a.status.replace('_', ' ')} cannot become ${status.replace('_', ' ')}.`);
      return [];
    }
    return [
      sealedDraft(
        patientKey(deps, a.patientId),
        a.patientId,
        'appointment.status.set',
        { appointmentId: a.appointmentId, status, reason: input.reason },
        by,
      ),
    ];
  });
  deps.ledger.appendMany(drafts);
  return affected.map((a) => appointment(db, a.appointmentId));
}

export function conflicts(db: Db, from: number): CallOutput<'schedule.conflicts'> {
  return overlappingPairs(db, from).map((p) => ({ a: appointment(db, p.a), b: appointment(db, p.b), over: p.over }));
}

export function defineRoom(deps: ScheduleDeps, input: CallParsedInput<'schedule.defineRoom'>, ctx: CallContext): CallOutput<'schedule.defineRoom'> {
  const roomId = input.roomId ?? randomBytes(16).toString('hex');
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
    kind: 'room.defined',
    by: actingStaff(ctx),
    body: { roomId, name: input.name, active: input.active },
  });
  return { roomId, name: input.name, active: input.active };
}

export function defineType(deps: ScheduleDeps, input: CallParsedInput<'schedule.defineType'>, ctx: CallContext): CallOutput<'schedule.defineType'> {
  const typeId = input.typeId ?? randomBytes(16).toString('hex');
  const body = { typeId, name: input.name, minutes: input.minutes, category: input.category, active: input.active };
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
    kind: 'appointment.type.defined',
    by: actingStaff(ctx),
    body,
  });
  return body;
}

export function rooms(db: Db): CallOutput<'schedule.rooms'> {
  return listRooms(db);
}

export function types(db: Db): CallOutput<'schedule.types'> {
  return listAppointmentTypes(db);
}

export function availability(db: Db): CallOutput<'schedule.availability'> {
  return { availability: listAvailability(db), timeOff: listTimeOff(db) };
}

function mayEditHours(ctx: CallContext, therapistId: string): void {
  if (ctx.session?.role !== 'manager' && ctx.session?.staffId !== therapistId)
    throw new ApiFailure('forbidden', 'You can only change your own hours.');
}

export function setAvailability(
  deps: ScheduleDeps,
  input: CallParsedInput<'schedule.setAvailability'>,
  ctx: CallContext,
): CallOutput<'schedule.setAvailability'> {
  const by = actingStaff(ctx);
  mayEditHours(ctx, input.therapistId);
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
    kind: 'availability.set',
    by,
    body: { therapistId: input.therapistId, weekly: input.weekly },
  });
  return { therapistId: input.therapistId, weekly: input.weekly };
}

export function addTimeOff(deps: ScheduleDeps, input: CallParsedInput<'schedule.addTimeOff'>, ctx: CallContext): CallOutput<'schedule.addTimeOff'> {
  const by = actingStaff(ctx);
  mayEditHours(ctx, input.therapistId);
  const timeoffId = randomBytes(16).toString('hex');
  const body = { timeoffId, therapistId: input.therapistId, start: input.start, end: input.end, reason: input.reason };
  deps.ledger.append({ stream: clinicStream(requireClinicId(deps.ledger.db), 'public'), kind: 'timeoff.added', by, body });
  return body;
}

export function removeTimeOff(deps: ScheduleDeps, input: CallParsedInput<'schedule.removeTimeOff'>, ctx: CallContext): null {
  const by = actingStaff(ctx);
  const therapistId = timeOffTherapist(deps.ledger.db, input.timeoffId);
  if (therapistId === null) throw new ApiFailure('not_found', 'There is no such time off.');
  mayEditHours(ctx, therapistId);
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
    kind: 'timeoff.removed',
    by,
    body: { timeoffId: input.timeoffId },
  });
  return null;
}
