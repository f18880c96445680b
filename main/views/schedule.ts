import type { Appointment, AppointmentStatus } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { bit, upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/** Rooms, appointment types, weekly hours, time off and appointments (main/ledger/domains/schedule.ts). */
export const SCHEDULE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_rooms (
    room_id   TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    active    INTEGER NOT NULL,
    v_height  INTEGER NOT NULL,
    v_hash    TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_appointment_types (
    type_id   TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    minutes   INTEGER NOT NULL,
    category  TEXT NOT NULL,
    active    INTEGER NOT NULL,
    v_height  INTEGER NOT NULL,
    v_hash    TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_availability (
    therapist_id  TEXT PRIMARY KEY,
    weekly        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_timeoff (
    timeoff_id    TEXT PRIMARY KEY,
    therapist_id  TEXT NOT NULL,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    removed       INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX view_timeoff_therapist ON view_timeoff (therapist_id, start);
  CREATE TABLE view_appointments (
    appointment_id  TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL,
    therapist_id    TEXT NOT NULL,
    room_id         TEXT,
    type_id         TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    series_id       TEXT,
    status          TEXT NOT NULL,
    status_reason   TEXT,
    p_height        INTEGER NOT NULL,
    p_hash          TEXT NOT NULL,
    s_height        INTEGER NOT NULL,
    s_hash          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_appointments_start ON view_appointments (start);
  CREATE INDEX view_appointments_therapist ON view_appointments (therapist_id, start);
  CREATE INDEX view_appointments_room ON view_appointments (room_id, start);
  CREATE INDEX view_appointments_patient ON view_appointments (patient_id, start);
  CREATE INDEX view_appointments_series ON view_appointments (series_id, start);
`,
  tables: [
    { name: 'view_rooms', key: 'room_id' },
    { name: 'view_appointment_types', key: 'type_id' },
    { name: 'view_availability', key: 'therapist_id' },
    { name: 'view_timeoff', key: 'timeoff_id' },
    { name: 'view_appointments', key: 'appointment_id', patient: 'patient_id = ?', sealed: 'rows' },
  ],
};

export interface WeeklyBlock {
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

// ------------------------------------------------------------------ rooms, types, hours, time off

export function upsertRoom(db: Db, r: { roomId: string; name: string; active: boolean }, at: OrderKey): void {
  upsertLatest(db, 'view_rooms', 'room_id', { room_id: r.roomId, name: r.name, active: bit(r.active) }, at);
}

export function upsertAppointmentType(
  db: Db,
  t: { typeId: string; name: string; minutes: number; category: string; active: boolean },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_appointment_types',
    'type_id',
    { type_id: t.typeId, name: t.name, minutes: t.minutes, category: t.category, active: bit(t.active) },
    at,
  );
}

export function upsertAvailability(db: Db, a: { therapistId: string; weekly: readonly WeeklyBlock[] }, at: OrderKey): void {
  upsertLatest(db, 'view_availability', 'therapist_id', { therapist_id: a.therapistId, weekly: JSON.stringify(a.weekly) }, at);
}

export function insertTimeOff(db: Db, t: { timeoffId: string; therapistId: string; start: number; end: number; reason: string }): void {
  statement(db, 'INSERT OR IGNORE INTO view_timeoff (timeoff_id, therapist_id, start, end, reason) VALUES (?, ?, ?, ?, ?)').run(
    t.timeoffId,
    t.therapistId,
    t.start,
    t.end,
    t.reason,
  );
}

export function markTimeOffRemoved(db: Db, timeoffId: string): void {
  statement(db, 'UPDATE view_timeoff SET removed = 1 WHERE timeoff_id = ?').run(timeoffId);
}

export function listRooms(db: Db): { roomId: string; name: string; active: boolean }[] {
  return statement<[], { roomId: string; name: string; active: number }>(
    db,
    'SELECT room_id AS roomId, name, active FROM view_rooms ORDER BY name COLLATE NOCASE',
  )
    .all()
    .map((r) => ({ roomId: r.roomId, name: r.name, active: r.active === 1 }));
}

export function roomIsOpen(db: Db, roomId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_rooms WHERE room_id = ? AND active = 1').get(roomId) !== undefined;
}

export function listAppointmentTypes(db: Db): { typeId: string; name: string; minutes: number; category: string; active: boolean }[] {
  return statement<[], { typeId: string; name: string; minutes: number; category: string; active: number }>(
    db,
    'SELECT type_id AS typeId, name, minutes, category, active FROM view_appointment_types ORDER BY name COLLATE NOCASE',
  )
    .all()
    .map((t) => ({ typeId: t.typeId, name: t.name, minutes: t.minutes, category: t.category, active: t.active === 1 }));
}

/** The default length of an active appointment type, or null when there is no such active type. */
export function activeTypeMinutes(db: Db, typeId: string): number | null {
  return (
    statement<[string], { minutes: number }>(db, 'SELECT minutes FROM view_appointment_types WHERE type_id = ? AND active = 1').get(typeId)
      ?.minutes ?? null
  );
}

/** Every therapist's weekly hours, by therapist id. */
export function listAvailability(db: Db): { therapistId: string; weekly: WeeklyBlock[] }[] {
  return statement<[], { therapistId: string; weekly: string }>(
    db,
    'SELECT therapist_id AS therapistId, weekly FROM view_availability ORDER BY therapist_id',
  )
    .all()
    .map((r) => ({ therapistId: r.therapistId, weekly: JSON.parse(r.weekly) as WeeklyBlock[] }));
}

/** A therapist's weekly hours, or null when none were ever recorded. */
export function weeklyHours(db: Db, therapistId: string): WeeklyBlock[] | null {
  const row = statement<[string], { weekly: string }>(db, 'SELECT weekly FROM view_availability WHERE therapist_id = ?').get(therapistId);
  return row ? (JSON.parse(row.weekly) as WeeklyBlock[]) : null;
}

/** Time off that has not been removed, by start. */
export function listTimeOff(db: Db): { timeoffId: string; therapistId: string; start: number; end: number; reason: string }[] {
  return statement<[], { timeoffId: string; therapistId: string; start: number; end: number; reason: string }>(
    db,
    'SELECT timeoff_id AS timeoffId, therapist_id AS therapistId, start, end, reason FROM view_timeoff WHERE removed = 0 ORDER BY start',
  ).all();
}

/** Some time off of the therapist overlapping [start, end), or null. */
export function timeOffDuring(db: Db, therapistId: string, start: number, end: number): { reason: string } | null {
  return (
    statement<[string, number, number], { reason: string }>(
      db,
      'SELECT reason FROM view_timeoff WHERE therapist_id = ? AND removed = 0 AND start < ? AND end > ?',
    ).get(therapistId, end, start) ?? null
  );
}

/** The therapist of a time off that has not been removed, or null. */
export function timeOffTherapist(db: Db, timeoffId: string): string | null {
  return (
    statement<[string], { therapistId: string }>(db, 'SELECT therapist_id AS therapistId FROM view_timeoff WHERE timeoff_id = ? AND removed = 0').get(
      timeoffId,
    )?.therapistId ?? null
  );
}

// ------------------------------------------------------------------ appointments (writes)

/**
 * Appointments merge field groups independently, each last writer wins on (height, hash):
 * placement (therapist, room, time) and status. A move and a cancel made concurrently on two
 * devices therefore both take effect; two concurrent moves resolve the same way everywhere.
 */
export function insertAppointment(
  db: Db,
  a: {
    appointmentId: string;
    patientId: string | null;
    therapistId: string;
    roomId: string | null;
    typeId: string;
    start: number;
    end: number;
    seriesId: string | null;
  },
  at: OrderKey,
): void {
  statement(
    db,
    `INSERT INTO view_appointments (appointment_id, patient_id, therapist_id, room_id, type_id, start, end, series_id, status, status_reason, p_height, p_hash, s_height, s_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', NULL, ?, ?, 0, '')
     ON CONFLICT (appointment_id) DO NOTHING`,
  ).run(a.appointmentId, a.patientId, a.therapistId, a.roomId, a.typeId, a.start, a.end, a.seriesId, at.height, at.hash);
}

export function setAppointmentPlacement(
  db: Db,
  id: string,
  p: { therapistId: string; roomId: string | null; start: number; end: number },
  at: OrderKey,
): void {
  statement(
    db,
    `UPDATE view_appointments SET therapist_id = ?, room_id = ?, start = ?, end = ?, p_height = ?, p_hash = ?
      WHERE appointment_id = ? AND (?, ?) > (p_height, p_hash)`,
  ).run(p.therapistId, p.roomId, p.start, p.end, at.height, at.hash, id, at.height, at.hash);
}

export function setAppointmentStatus(db: Db, id: string, s: { status: AppointmentStatus; reason: string | null }, at: OrderKey): void {
  statement(
    db,
    `UPDATE view_appointments SET status = ?, status_reason = ?, s_height = ?, s_hash = ?
      WHERE appointment_id = ? AND (?, ?) > (s_height, s_hash)`,
  ).run(s.status, s.reason, at.height, at.hash, id, at.height, at.hash);
}

// ------------------------------------------------------------------ appointments (reads)

/**
 * Statuses that occupy their slot (docs/architecture.md#schedule): booked, checked in and completed
 * visits. Only a cancellation (late or not) or a no-show frees it, so a past visit recorded later
 * is checked against a completed one, and a walk-in may take a no-show's time.
 */
export const OCCUPYING_STATUSES: readonly AppointmentStatus[] = ['booked', 'checked_in', 'completed'];
const ACTIVE = `(${OCCUPYING_STATUSES.map((s) => `'${s}'`).join(', ')})`;

interface AppointmentSql {
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
  patient_dob: string | null;
  patient_namesakes: number;
  therapist_name: string | null;
  room_name: string | null;
  type_name: string | null;
  conflict: number;
}

/**
 * An appointment with the names shown beside it, the patient's date of birth and how many other
 * readable patients share the patient's name (the second identifier and the alike-names warning
 * of docs/architecture.md#patient-identifiers), and whether it overlaps another active one
 * (therapist or room). Namesakes compare `sort_name`, the patient's family and given name as
 * search tokens (lower case, accents removed; main/ledger/domains/patients.ts), through its index.
 */
const SELECT = `
  SELECT a.appointment_id, a.patient_id, a.therapist_id, a.room_id, a.type_id, a.start, a.end, a.series_id, a.status, a.status_reason,
         p.given AS patient_given, p.family AS patient_family, p.dob AS patient_dob,
         (CASE WHEN p.readable = 1 THEN (
            SELECT COUNT(*) FROM view_patients q
             WHERE q.sort_name = p.sort_name AND q.patient_id != p.patient_id AND q.readable = 1) ELSE 0 END) AS patient_namesakes,
         s.name AS therapist_name, r.name AS room_name, t.name AS type_name,
         (a.status IN ${ACTIVE} AND EXISTS (
            SELECT 1 FROM view_appointments b
             WHERE b.appointment_id != a.appointment_id AND b.status IN ${ACTIVE} AND b.start < a.end AND a.start < b.end
               AND (b.therapist_id = a.therapist_id OR (a.room_id IS NOT NULL AND b.room_id = a.room_id)))) AS conflict
    FROM view_appointments a
    LEFT JOIN view_patients p ON p.patient_id = a.patient_id
    LEFT JOIN view_staff s ON s.id = a.therapist_id
    LEFT JOIN view_rooms r ON r.room_id = a.room_id
    LEFT JOIN view_appointment_types t ON t.type_id = a.type_id`;

const toAppointment = (r: AppointmentSql): Appointment => ({
  appointmentId: r.appointment_id,
  patientId: r.patient_id,
  patientName: r.patient_family !== null ? `${r.patient_family}, ${r.patient_given ?? ''}` : null,
  patientDateOfBirth: r.patient_dob,
  patientNamesakes: r.patient_namesakes,
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

export function findAppointment(db: Db, appointmentId: string): Appointment | null {
  const row = statement<[string], AppointmentSql>(db, `${SELECT} WHERE a.appointment_id = ?`).get(appointmentId);
  return row ? toAppointment(row) : null;
}

/** The patient an appointment belongs to, or null when there is no such appointment. */
export function appointmentPatient(db: Db, appointmentId: string): string | null {
  return (
    statement<[string], { patientId: string }>(db, 'SELECT patient_id AS patientId FROM view_appointments WHERE appointment_id = ?').get(
      appointmentId,
    )?.patientId ?? null
  );
}

/** Appointments overlapping [from, to), optionally of one therapist, room and/or patient, by start. */
export function appointmentsBetween(
  db: Db,
  range: {
    from: number;
    to: number;
    therapistId?: string | undefined;
    roomId?: string | undefined;
    patientId?: string | undefined;
    /** Only visits with this clinic's therapists (a shared patient's visits elsewhere are in the view too). */
    clinicId?: string | undefined;
  },
): Appointment[] {
  const where = ['a.start < ?', 'a.end > ?'];
  const params: (string | number)[] = [range.to, range.from];
  if (range.clinicId) {
    where.push('a.therapist_id IN (SELECT id FROM view_staff WHERE clinic_id = ?)');
    params.push(range.clinicId);
  }
  if (range.therapistId) {
    where.push('a.therapist_id = ?');
    params.push(range.therapistId);
  }
  if (range.roomId) {
    where.push('a.room_id = ?');
    params.push(range.roomId);
  }
  if (range.patientId) {
    where.push('a.patient_id = ?');
    params.push(range.patientId);
  }
  return statement<(string | number)[], AppointmentSql>(db, `${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.start, a.appointment_id`)
    .all(...params)
    .map(toAppointment);
}

/**
 * Appointments occupying their slot that overlap [start, end) for this therapist or this room (the
 * overlap rule), with what they share: the therapist, the room, or both.
 */
export function occupyingOverlapping(
  db: Db,
  slot: { therapistId: string; roomId: string | null; start: number; end: number },
): { appointment: Appointment; therapist: boolean; room: boolean }[] {
  return statement<[number, number, string, string | null], AppointmentSql>(
    db,
    `${SELECT} WHERE a.status IN ${ACTIVE} AND a.start < ? AND a.end > ? AND (a.therapist_id = ? OR a.room_id = ?) ORDER BY a.start, a.appointment_id`,
  )
    .all(slot.end, slot.start, slot.therapistId, slot.roomId)
    .map((r) => ({
      appointment: toAppointment(r),
      therapist: r.therapist_id === slot.therapistId,
      room: slot.roomId !== null && r.room_id === slot.roomId,
    }));
}

/** A room's name, whether retired or not, or null. */
export function roomName(db: Db, roomId: string): string | null {
  return statement<[string], { name: string }>(db, 'SELECT name FROM view_rooms WHERE room_id = ?').get(roomId)?.name ?? null;
}

/** Whether a room with this id was ever defined (open or retired). */
export function roomExists(db: Db, roomId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_rooms WHERE room_id = ?').get(roomId) !== undefined;
}

/** Whether an appointment type with this id was ever defined (offered or retired). */
export function typeExists(db: Db, typeId: string): boolean {
  return statement(db, 'SELECT 1 FROM view_appointment_types WHERE type_id = ?').get(typeId) !== undefined;
}

/** Another open room with this name (any case), or null. */
export function openRoomNamed(db: Db, name: string, except: string | null): string | null {
  return (
    statement<[string, string], { id: string }>(
      db,
      'SELECT room_id AS id FROM view_rooms WHERE active = 1 AND name = ? COLLATE NOCASE AND room_id != ?',
    ).get(name, except ?? '')?.id ?? null
  );
}

/** Another offered appointment type with this name (any case), or null. */
export function activeTypeNamed(db: Db, name: string, except: string | null): string | null {
  return (
    statement<[string, string], { id: string }>(
      db,
      'SELECT type_id AS id FROM view_appointment_types WHERE active = 1 AND name = ? COLLATE NOCASE AND type_id != ?',
    ).get(name, except ?? '')?.id ?? null
  );
}

/** Busy intervals of a therapist and/or room overlapping [from, to) (occupying visits only), by start. */
export function busyBetween(
  db: Db,
  q: { therapistId: string | null; roomId: string | null; from: number; to: number },
): { start: number; end: number }[] {
  return statement<[number, number, string | null, string | null], { start: number; end: number }>(
    db,
    `SELECT start, end FROM view_appointments WHERE status IN ${ACTIVE} AND start < ? AND end > ? AND (therapist_id = ? OR room_id = ?) ORDER BY start`,
  ).all(q.to, q.from, q.therapistId, q.roomId);
}

/** A therapist's time off overlapping [from, to), by start. */
export function timeOffBetween(db: Db, therapistId: string, from: number, to: number): { start: number; end: number }[] {
  return statement<[string, number, number], { start: number; end: number }>(
    db,
    'SELECT start, end FROM view_timeoff WHERE therapist_id = ? AND removed = 0 AND start < ? AND end > ? ORDER BY start',
  ).all(therapistId, to, from);
}

/** The visits of a series from `start` on, by start. */
export function seriesFrom(db: Db, seriesId: string, start: number): Appointment[] {
  return statement<[string, number], AppointmentSql>(db, `${SELECT} WHERE a.series_id = ? AND a.start >= ? ORDER BY a.start`)
    .all(seriesId, start)
    .map(toAppointment);
}

/** Pairs of active appointments that overlap (same therapist, or same room) and end after `from`. */
export function overlappingPairs(db: Db, from: number): { a: string; b: string; over: 'therapist' | 'room' }[] {
  return statement<[number], { a: string; b: string; over: 'therapist' | 'room' }>(
    db,
    `SELECT x.appointment_id AS a, y.appointment_id AS b, CASE WHEN x.therapist_id = y.therapist_id THEN 'therapist' ELSE 'room' END AS over
       FROM view_appointments x JOIN view_appointments y
         ON x.appointment_id < y.appointment_id AND y.start < x.end AND x.start < y.end
        AND (x.therapist_id = y.therapist_id OR (x.room_id IS NOT NULL AND x.room_id = y.room_id))
      WHERE x.end > ? AND x.status IN ${ACTIVE} AND y.status IN ${ACTIVE}
      ORDER BY x.start`,
  ).all(from);
}

/** Appointment ids in id order (tests and tools that pick an appointment). */
export function appointmentIds(db: Db): string[] {
  return statement<[], { id: string }>(db, 'SELECT appointment_id AS id FROM view_appointments ORDER BY appointment_id')
    .all()
    .map((r) => r.id);
}
