import { AppointmentBooked, AppointmentMoved, AppointmentStatusSet } from '../../../shared/api/calls/schedule.js';
import type { Db } from '../../store/db.js';
import { statement } from '../../store/statements.js';
import type { Entry } from '../entry.js';
import { keystoreOf } from '../keystore.js';
import { tryOpenBody } from '../seal.js';
import type { SealedBody } from '../seal.js';
import { patientOfStream } from './patients.js';
import { upsertLatest } from './lww.js';
import type { KindRule, OrderKey, PolicyContext } from './types.js';

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

/** Opens an appointment body; null when this device lacks the patient's key (the entry is then not shown). */
function open(db: Db, entry: Entry, body: SealedBody): unknown {
  const patientId = patientOfStream(entry.stream);
  return patientId === null ? null : tryOpenBody(keystoreOf(db)?.keyFor(patientId) ?? null, entry.stream, entry.kind, body);
}

/**
 * Appointments merge field groups independently, each last writer wins on (height, hash):
 * placement (therapist, room, time) and status. A move and a cancel made concurrently on two
 * devices therefore both take effect; two concurrent moves resolve the same way everywhere.
 */
function setPlacement(db: Db, id: string, p: { therapistId: string; roomId: string | null; start: number; end: number }, at: OrderKey): void {
  statement(
    db,
    `UPDATE view_appointments SET therapist_id = ?, room_id = ?, start = ?, end = ?, p_height = ?, p_hash = ?
      WHERE appointment_id = ? AND (?, ?) > (p_height, p_hash)`,
  ).run(p.therapistId, p.roomId, p.start, p.end, at.height, at.hash, id, at.height, at.hash);
}

export const scheduleRules: { readonly [K in ScheduleKind]: KindRule<K> } = {
  'room.defined': {
    stream: 'public',
    policy: managerOnly('define rooms'),
    reduce(db, body, _entry, at) {
      upsertLatest(db, 'view_rooms', 'room_id', { room_id: body.roomId, name: body.name, active: body.active ? 1 : 0 }, at);
    },
  },
  'appointment.type.defined': {
    stream: 'public',
    policy: managerOnly('define appointment types'),
    reduce(db, body, _entry, at) {
      upsertLatest(
        db,
        'view_appointment_types',
        'type_id',
        { type_id: body.typeId, name: body.name, minutes: body.minutes, category: body.category, active: body.active ? 1 : 0 },
        at,
      );
    },
  },
  'availability.set': {
    stream: 'public',
    policy: (ctx, body) => selfOrManager(ctx, body.therapistId),
    reduce(db, body, _entry, at) {
      upsertLatest(db, 'view_availability', 'therapist_id', { therapist_id: body.therapistId, weekly: JSON.stringify(body.weekly) }, at);
    },
  },
  'timeoff.added': {
    stream: 'public',
    policy: (ctx, body) => selfOrManager(ctx, body.therapistId),
    reduce(db, body) {
      statement(db, 'INSERT OR IGNORE INTO view_timeoff (timeoff_id, therapist_id, start, end, reason) VALUES (?, ?, ?, ?, ?)').run(
        body.timeoffId,
        body.therapistId,
        body.start,
        body.end,
        body.reason,
      );
    },
  },
  'timeoff.removed': {
    stream: 'public',
    // Removal is final (remove wins over a concurrent re-add of the same id, which cannot happen: ids are new).
    policy: (ctx) => (ctx.actorRole === null ? 'a staff member must remove time off' : null),
    reduce(db, body) {
      statement(db, 'UPDATE view_timeoff SET removed = 1 WHERE timeoff_id = ?').run(body.timeoffId);
    },
  },
  'appointment.booked': {
    stream: 'schedule',
    policy: schedulers,
    reduce(db, body, entry, at) {
      const parsed = AppointmentBooked.safeParse(open(db, entry, body));
      if (!parsed.success) return;
      const a = parsed.data;
      statement(
        db,
        `INSERT INTO view_appointments (appointment_id, patient_id, therapist_id, room_id, type_id, start, end, series_id, status, status_reason, p_height, p_hash, s_height, s_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', NULL, ?, ?, 0, '')
         ON CONFLICT (appointment_id) DO NOTHING`,
      ).run(a.appointmentId, patientOfStream(entry.stream), a.therapistId, a.roomId, a.typeId, a.start, a.end, a.seriesId, at.height, at.hash);
    },
  },
  'appointment.moved': {
    stream: 'schedule',
    policy: schedulers,
    reduce(db, body, entry, at) {
      const parsed = AppointmentMoved.safeParse(open(db, entry, body));
      if (parsed.success) setPlacement(db, parsed.data.appointmentId, parsed.data, at);
    },
  },
  'appointment.status.set': {
    stream: 'schedule',
    policy: (ctx) => (ctx.actorRole === null ? 'a staff member must record appointment status' : null),
    reduce(db, body, entry, at) {
      const parsed = AppointmentStatusSet.safeParse(open(db, entry, body));
      if (!parsed.success) return;
      statement(
        db,
        `UPDATE view_appointments SET status = ?, status_reason = ?, s_height = ?, s_hash = ?
          WHERE appointment_id = ? AND (?, ?) > (s_height, s_hash)`,
      ).run(parsed.data.status, parsed.data.reason, at.height, at.hash, parsed.data.appointmentId, at.height, at.hash);
    },
  },
};
