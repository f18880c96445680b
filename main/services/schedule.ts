import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { Appointment, AppointmentStatus, CallOutput, CallParsedInput } from '../../shared/api/index.js';
import type { JsonValue } from '../ledger/crypto/index.js';
import { clinicStream } from '../ledger/streams.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Draft, Ledger } from '../ledger/ledger.js';
import { sealBody } from '../ledger/seal.js';
import type { Db } from '../store/db.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';
import { clinicTimeZone, findStaff } from '../clinic/staffQueries.js';
import { addWallClockWeeks, wallClock, zonedLabel } from '../../shared/time.js';

export interface ScheduleDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly now: () => number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Cancelled with less notice than this is a late cancellation (a common clinic policy). */
export const LATE_CANCEL_MS = 24 * 60 * 60 * 1000;
const ACTIVE = "('booked', 'checked_in')";

interface Row {
  appointment_id: string;
  patient_id: string;
  therapist_id: string;
  room_id: string | null;
  type_id: string;
  start: number;
  end: number;
  series_id: string | null;
  status: AppointmentStatus;
  status_reason: string | null;
  patient_given: string | null;
  patient_family: string | null;
  therapist_name: string | null;
  room_name: string | null;
  type_name: string | null;
  conflict: number;
}

const SELECT = `
  SELECT a.appointment_id, a.patient_id, a.therapist_id, a.room_id, a.type_id, a.start, a.end, a.series_id, a.status, a.status_reason,
         p.given AS patient_given, p.family AS patient_family, s.name AS therapist_name, r.name AS room_name, t.name AS type_name,
         (a.status IN ${ACTIVE} AND EXISTS (
            SELECT 1 FROM view_appointments b
             WHERE b.appointment_id != a.appointment_id AND b.status IN ${ACTIVE} AND b.start < a.end AND a.start < b.end
               AND (b.therapist_id = a.therapist_id OR (a.room_id IS NOT NULL AND b.room_id = a.room_id)))) AS conflict
    FROM view_appointments a
    LEFT JOIN view_patients p ON p.patient_id = a.patient_id
    LEFT JOIN view_staff s ON s.id = a.therapist_id
    LEFT JOIN view_rooms r ON r.room_id = a.room_id
    LEFT JOIN view_appointment_types t ON t.type_id = a.type_id`;

const toAppointment = (r: Row): Appointment => ({
  appointmentId: r.appointment_id,
  patientId: r.patient_id,
  patientName: r.patient_family !== null ? `${r.patient_family}, ${r.patient_given ?? ''}` : null,
  therapistId: r.therapist_id,
  therapistName: r.therapist_name,
  roomId: r.room_id,
  roomName: r.room_name,
  typeId: r.type_id,
  typeName: r.type_name,
  start: r.start,
  end: r.end,
  seriesId: r.series_id,
  status: r.status,
  statusReason: r.status_reason,
  conflict: r.conflict === 1,
});

function appointment(db: Db, id: string): Appointment {
  const row = db.prepare<[string], Row>(`${SELECT} WHERE a.appointment_id = ?`).get(id);
  if (!row) throw new ApiFailure('not_found', 'There is no such appointment.');
  return toAppointment(row);
}

export function appointmentsInRange(db: Db, input: CallParsedInput<'schedule.range'>): Appointment[] {
  const where = ['a.start < ?', 'a.end > ?'];
  const params: (string | number)[] = [input.to, input.from];
  if (input.therapistId) {
    where.push('a.therapist_id = ?');
    params.push(input.therapistId);
  }
  if (input.roomId) {
    where.push('a.room_id = ?');
    params.push(input.roomId);
  }
  if (input.patientId) {
    where.push('a.patient_id = ?');
    params.push(input.patientId);
  }
  return db
    .prepare<(string | number)[], Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.start, a.appointment_id`)
    .all(...params)
    .map(toAppointment);
}

/** Active appointments that would overlap [start, end) for this therapist or room. */
function clashes(db: Db, slot: { therapistId: string; roomId: string | null; start: number; end: number }, ignore: readonly string[]): Appointment[] {
  const rows = db
    .prepare<[number, number, string, string | null], Row>(
      `${SELECT} WHERE a.status IN ${ACTIVE} AND a.start < ? AND a.end > ? AND (a.therapist_id = ? OR a.room_id = ?)`,
    )
    .all(slot.end, slot.start, slot.therapistId, slot.roomId);
  return rows.filter((r) => !ignore.includes(r.appointment_id)).map(toAppointment);
}

/**
 * Why a therapist is not working during [start, end), or null: outside their weekly hours (wall
 * clock in the clinic's time zone; no hours recorded means no restriction) or during their time off.
 */
function unavailableReason(db: Db, slot: { therapistId: string; start: number; end: number }, zone: string): string | null {
  const name = db.prepare<[string], { name: string }>('SELECT name FROM view_staff WHERE id = ?').get(slot.therapistId)?.name ?? 'The therapist';
  const off = db
    .prepare<[string, number, number], { reason: string }>(
      'SELECT reason FROM view_timeoff WHERE therapist_id = ? AND removed = 0 AND start < ? AND end > ?',
    )
    .get(slot.therapistId, slot.end, slot.start);
  if (off) return `${name} is off then${off.reason ? ` (${off.reason})` : ''}.`;
  const row = db.prepare<[string], { weekly: string }>('SELECT weekly FROM view_availability WHERE therapist_id = ?').get(slot.therapistId);
  if (!row) return null;
  const weekly = JSON.parse(row.weekly) as { weekday: number; start: string; end: string }[];
  const from = wallClock(slot.start, zone);
  const to = wallClock(slot.end, zone);
  // A visit that ends on another day than it starts (or ends exactly at midnight) is outside any block.
  const endMinutes = to.date === from.date ? to.minutes : to.minutes === 0 ? 24 * 60 : -1;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const inside = weekly.some(
    (b) => b.weekday === from.weekday && minutes(b.start) <= from.minutes && endMinutes >= 0 && endMinutes <= minutes(b.end),
  );
  return inside ? null : `${name} does not usually work then (see their weekly hours).`;
}

function clashMessage(found: Appointment[], zone: string): string {
  const first = found[0] as Appointment;
  return `Double booking: ${first.therapistName ?? 'the therapist'}${first.roomName ? ` or ${first.roomName}` : ''} already has ${first.patientName ?? 'a patient'} at ${zonedLabel(first.start, zone)}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}. Choose another time, or book anyway.`;
}

function sealed(
  deps: ScheduleDeps,
  patientId: string,
  kind: 'appointment.booked' | 'appointment.moved' | 'appointment.status.set',
  body: JsonValue,
  by: string,
): Draft {
  const key = deps.keystore.keyFor(patientId);
  if (!key) throw new ApiFailure('forbidden', "This computer does not hold the key to this patient's record.");
  const stream = `p:${patientId}/schedule`;
  return { stream, kind, by, body: sealBody(key, stream, kind, body) };
}

export function book(deps: ScheduleDeps, input: CallParsedInput<'schedule.book'>, ctx: CallContext): Appointment[] {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  if (!db.prepare('SELECT 1 FROM view_patients WHERE patient_id = ?').get(input.patientId))
    throw new ApiFailure('not_found', 'There is no such patient.');
  const therapist = findStaff(db, input.therapistId);
  if (!therapist?.active || (therapist.role !== 'therapist' && therapist.role !== 'assistant'))
    throw new ApiFailure('invalid_input', 'Choose an active therapist or assistant.');
  const type = db
    .prepare<[string], { minutes: number }>('SELECT minutes FROM view_appointment_types WHERE type_id = ? AND active = 1')
    .get(input.typeId);
  if (!type) throw new ApiFailure('invalid_input', 'Choose an appointment type.');
  if (input.roomId && !db.prepare('SELECT 1 FROM view_rooms WHERE room_id = ? AND active = 1').get(input.roomId))
    throw new ApiFailure('invalid_input', 'Choose an open room.');
  const length = (input.minutes ?? type.minutes) * 60_000;
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
      if (!input.allowConflict) {
        const found = visits.flatMap((v) => clashes(db, v, []));
        if (found.length > 0) throw new ApiFailure('conflict', clashMessage(found, zone));
        const away = visits.map((v) => unavailableReason(db, v, zone)).find((r) => r !== null);
        if (away) throw new ApiFailure('conflict', `${away} Choose another time, or book anyway.`);
      }
      deps.ledger.appendMany(visits.map((v) => sealed(deps, input.patientId, 'appointment.booked', v, by)));
      return visits.map((v) => appointment(db, v.appointmentId));
    })
    .immediate();
}

function seriesFrom(db: Db, a: Appointment, scope: 'one' | 'following'): Appointment[] {
  if (scope === 'one' || a.seriesId === null) return [a];
  return db
    .prepare<[string, number], Row>(`${SELECT} WHERE a.series_id = ? AND a.start >= ? ORDER BY a.start`)
    .all(a.seriesId, a.start)
    .map(toAppointment);
}

export function move(deps: ScheduleDeps, input: CallParsedInput<'schedule.move'>, ctx: CallContext): Appointment[] {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const target = appointment(db, input.appointmentId);
  if (target.status !== 'booked')
    throw new ApiFailure('conflict', 'Only a booked visit can be moved (this one is already checked in, done or cancelled).');
  const affected = seriesFrom(db, target, input.scope).filter((a) => a.status === 'booked');
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
      if (!input.allowConflict) {
        const ids = moved.map((m) => m.appointmentId);
        const found = moved.flatMap((m) => clashes(db, m, ids));
        if (found.length > 0) throw new ApiFailure('conflict', clashMessage(found, zone));
        const away = moved.map((m) => unavailableReason(db, m, zone)).find((r) => r !== null);
        if (away) throw new ApiFailure('conflict', `${away} Choose another time, or move anyway.`);
      }
      deps.ledger.appendMany(moved.map((m) => sealed(deps, target.patientId, 'appointment.moved', m, by)));
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
  const affected = input.status === 'cancelled' ? seriesFrom(db, target, input.scope) : [target];
  const drafts = affected.flatMap((a) => {
    const status: AppointmentStatus = input.status === 'cancelled' && a.start - deps.now() < LATE_CANCEL_MS ? 'late_cancelled' : input.status;
    if (a.status === status) return [];
    if (!TRANSITIONS[a.status].includes(status)) {
      if (a.appointmentId === target.appointmentId)
        throw new ApiFailure('conflict', `A visit that is ${a.status.replace('_', ' ')} cannot become ${status.replace('_', ' ')}.`);
      return [];
    }
    return [sealed(deps, a.patientId, 'appointment.status.set', { appointmentId: a.appointmentId, status, reason: input.reason }, by)];
  });
  deps.ledger.appendMany(drafts);
  return affected.map((a) => appointment(db, a.appointmentId));
}

export function conflicts(db: Db, from: number): CallOutput<'schedule.conflicts'> {
  const pairs = db
    .prepare<[number], { a: string; b: string; over: 'therapist' | 'room' }>(
      `SELECT x.appointment_id AS a, y.appointment_id AS b, CASE WHEN x.therapist_id = y.therapist_id THEN 'therapist' ELSE 'room' END AS over
         FROM view_appointments x JOIN view_appointments y
           ON x.appointment_id < y.appointment_id AND y.start < x.end AND x.start < y.end
          AND (x.therapist_id = y.therapist_id OR (x.room_id IS NOT NULL AND x.room_id = y.room_id))
        WHERE x.end > ? AND x.status IN ${ACTIVE} AND y.status IN ${ACTIVE}
        ORDER BY x.start`,
    )
    .all(from);
  return pairs.map((p) => ({ a: appointment(db, p.a), b: appointment(db, p.b), over: p.over }));
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
  return db
    .prepare<[], { room_id: string; name: string; active: number }>('SELECT room_id, name, active FROM view_rooms ORDER BY name COLLATE NOCASE')
    .all()
    .map((r) => ({ roomId: r.room_id, name: r.name, active: r.active === 1 }));
}

export function types(db: Db): CallOutput<'schedule.types'> {
  return db
    .prepare<[], { type_id: string; name: string; minutes: number; category: string; active: number }>(
      'SELECT type_id, name, minutes, category, active FROM view_appointment_types ORDER BY name COLLATE NOCASE',
    )
    .all()
    .map((t) => ({ typeId: t.type_id, name: t.name, minutes: t.minutes, category: t.category, active: t.active === 1 }));
}

export function availability(db: Db): CallOutput<'schedule.availability'> {
  return {
    availability: db
      .prepare<[], { therapist_id: string; weekly: string }>('SELECT therapist_id, weekly FROM view_availability ORDER BY therapist_id')
      .all()
      .map((r) => ({ therapistId: r.therapist_id, weekly: JSON.parse(r.weekly) as CallOutput<'schedule.setAvailability'>['weekly'] })),
    timeOff: db
      .prepare<[], { timeoff_id: string; therapist_id: string; start: number; end: number; reason: string }>(
        'SELECT timeoff_id, therapist_id, start, end, reason FROM view_timeoff WHERE removed = 0 ORDER BY start',
      )
      .all()
      .map((t) => ({ timeoffId: t.timeoff_id, therapistId: t.therapist_id, start: t.start, end: t.end, reason: t.reason })),
  };
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
  const row = deps.ledger.db
    .prepare<[string], { therapist_id: string }>('SELECT therapist_id FROM view_timeoff WHERE timeoff_id = ? AND removed = 0')
    .get(input.timeoffId);
  if (!row) throw new ApiFailure('not_found', 'There is no such time off.');
  mayEditHours(ctx, row.therapist_id);
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
    kind: 'timeoff.removed',
    by,
    body: { timeoffId: input.timeoffId },
  });
  return null;
}
