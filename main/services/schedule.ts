import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { Appointment, AppointmentStatus, CallOutput, CallParsedInput, VisitEvent } from '../../shared/api/index.js';
import { addWallClockWeeks, clockTime, instantAt, wallClock, zonedLabel } from '../../shared/time.js';
import { checkInMinutes, clinicTimeZone, findStaff, openingHours } from '../clinic/staffQueries.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { openStoredBody } from '../ledger/seal.js';
import type { SealingKey } from '../ledger/seal.js';
import type { SealedBody } from '../ledger/seal.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { clinicStream, patientStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import type { ReadLog } from './reads.js';
import { staffName } from '../views/clinic.js';
import { patientExists } from '../views/patients.js';
import {
  activeTypeMinutes,
  activeTypeNamed,
  appointmentsBetween,
  busyBetween,
  findAppointment,
  listAppointmentTypes,
  listAvailability,
  listRooms,
  listTimeOff,
  occupyingOverlapping,
  openRoomNamed,
  overlappingPairs,
  roomExists,
  roomIsOpen,
  roomName,
  seriesFrom,
  timeOffBetween,
  timeOffDuring,
  timeOffTherapist,
  typeExists,
  weeklyHours,
} from '../views/schedule.js';
import type { WeeklyBlock } from '../views/schedule.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';
import { assertNotErased } from './erased.js';

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
  // A patient shared between clinics brings the other clinic's visits with their schedule stream
  // (docs/architecture.md#consent-scoped-replication): the calendar shows this clinic's therapists'
  // visits; one patient's list shows all of theirs.
  return appointmentsBetween(db, { ...input, clinicId: input.patientId ? undefined : requireClinicId(db) });
}

/** A time for a therapist, and a room or none. */
interface Slot {
  readonly therapistId: string;
  readonly roomId: string | null;
  readonly start: number;
  readonly end: number;
}

/** What a slot clashes with: each occupying visit overlapping it, and whether it shares the therapist, the room or both. */
function clashes(db: Db, slot: Slot, ignore: readonly string[]): { appointment: Appointment; therapist: boolean; room: boolean }[] {
  return occupyingOverlapping(db, slot).filter((c) => !ignore.includes(c.appointment.appointmentId));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Whether [start, end) lies inside one block of the weekly hours, as wall-clock times in `zone`. */
function withinWeeklyHours(weekly: readonly WeeklyBlock[], slot: { start: number; end: number }, zone: string): boolean {
  const from = wallClock(slot.start, zone);
  const to = wallClock(slot.end, zone);
  // A visit that ends on another day than it starts (or ends exactly at midnight) is outside any block.
  const endMinutes = to.date === from.date ? to.minutes : to.minutes === 0 ? 24 * 60 : -1;
  return weekly.some((b) => b.weekday === from.weekday && minutesOf(b.start) <= from.minutes && endMinutes >= 0 && endMinutes <= minutesOf(b.end));
}

/**
 * The hours that bind a therapist (docs/architecture.md#schedule): their own weekly hours when they
 * have any, else the clinic's opening hours; null when neither was ever set (no restriction).
 */
function bindingHours(db: Db, therapistId: string | null): { weekly: WeeklyBlock[]; own: boolean } | null {
  const own = therapistId === null ? null : weeklyHours(db, therapistId);
  if (own !== null) return { weekly: own, own: true };
  const clinic = openingHours(db);
  return clinic === null ? null : { weekly: clinic, own: false };
}

/**
 * Why a therapist is not working during [start, end), or null: during their time off, or outside
 * their weekly hours (or, when they have none, the clinic's opening hours), wall clock in the
 * clinic's time zone.
 */
function unavailableReason(db: Db, slot: Slot, zone: string): string | null {
  const name = staffName(db, slot.therapistId) ?? 'The therapist';
  const off = timeOffDuring(db, slot.therapistId, slot.start, slot.end);
  if (off) return `${name} is off then${off.reason ? ` (${off.reason})` : ''}.`;
  const hours = bindingHours(db, slot.therapistId);
  if (hours === null || withinWeeklyHours(hours.weekly, slot, zone)) return null;
  return hours.own ? `${name} does not usually work then (see their weekly hours).` : 'The clinic is closed then (see its opening hours).';
}

/** Refuses a double booking or a time the therapist does not work, unless the person accepted it (`verb`: book, move). */
function checkSlots(db: Db, slots: readonly Slot[], ignore: readonly string[], zone: string, verb: string): void {
  for (const slot of slots) {
    const found = clashes(db, slot, ignore);
    // The message names the patient of the visit in the way: it shows them (docs/architecture.md#access-audit).
    if (found.length > 0)
      throw new ApiFailure('conflict', clashMessage(db, slot, found, zone, verb), [(found[0] as (typeof found)[0]).appointment.patientId]);
  }
  const away = slots.map((v) => unavailableReason(db, v, zone)).find((r) => r !== null);
  if (away) throw new ApiFailure('conflict', `${away} Choose another time, or ${verb} anyway.`);
}

/** "Mon 30 Nov, 09:00 UTC to 09:45": a visit's time in the clinic's zone. */
function visitTime(a: { start: number; end: number }, zone: string): string {
  return `${zonedLabel(a.start, zone)} to ${clockTime(wallClock(a.end, zone).minutes)}`;
}

/**
 * Names exactly what clashes (docs/architecture.md#schedule): the therapist, the room, or both,
 * with the other visit's patient and time.
 */
function clashMessage(
  db: Db,
  slot: Slot,
  found: readonly { appointment: Appointment; therapist: boolean; room: boolean }[],
  zone: string,
  verb: string,
): string {
  const first = found[0] as { appointment: Appointment; therapist: boolean; room: boolean };
  const a = first.appointment;
  const therapist = staffName(db, slot.therapistId) ?? 'The therapist';
  const room = (slot.roomId !== null ? roomName(db, slot.roomId) : null) ?? 'The room';
  const patient = a.patientName ?? 'another patient';
  const what =
    first.therapist && first.room
      ? `${therapist} and ${room} are both taken by ${patient}`
      : first.therapist
        ? `${therapist} already sees ${patient}${a.roomName ? ` in ${a.roomName}` : ''}`
        : `${room} is taken by ${patient} with ${a.therapistName ?? 'another therapist'}`;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  return `Double booking: ${what}, ${visitTime(a, zone)}${more}. Choose another time, or ${verb} anyway.`;
}

/** Refuses a start that has passed unless the person confirmed recording a past visit (docs/architecture.md#schedule). */
function checkPast(deps: ScheduleDeps, start: number, allowPast: boolean | undefined, zone: string, verb: string): void {
  if (allowPast === true || start >= deps.now()) return;
  throw new ApiFailure(
    'invalid_input',
    `${zonedLabel(start, zone)} has already passed. To record a past visit, confirm "Record a past visit" and ${verb} again.`,
  );
}

/** The patient's sealing key; refuses when this computer does not hold it. */
function patientKey(deps: ScheduleDeps, patientId: string): SealingKey {
  assertNotErased(deps.ledger.db, patientId);
  const key = deps.keystore.sealingKey(patientId);
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
  checkPast(deps, input.start, input.allowPast, zone, 'book');
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
  checkPast(deps, input.start, input.allowPast, zone, 'move');
  if (input.roomId && input.roomId !== target.roomId && !roomIsOpen(db, input.roomId)) throw new ApiFailure('invalid_input', 'Choose an open room.');
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

/**
 * When a status may be recorded (docs/architecture.md#schedule): check-in opens the clinic's
 * check-in window before the start, a no-show only once the visit has started, and undoing a
 * check-in or a no-show needs a reason, kept in the signed entry and shown in the visit's history.
 */
function checkTiming(deps: ScheduleDeps, a: Appointment, next: AppointmentStatus, reason: string | null): void {
  const db = deps.ledger.db;
  const zone = clinicTimeZone(db);
  const now = deps.now();
  if (next === 'checked_in' && a.status === 'booked') {
    const window = checkInMinutes(db);
    const opens = a.start - window * 60_000;
    if (now < opens)
      throw new ApiFailure(
        'conflict',
        `Check-in opens ${window} minute${window === 1 ? '' : 's'} before the visit, at ${zonedLabel(opens, zone)}. The visit starts ${zonedLabel(a.start, zone)}.`,
      );
  }
  if (next === 'booked' && (a.status === 'checked_in' || a.status === 'no_show') && !reason)
    throw new ApiFailure('invalid_input', `Give a reason for undoing the ${a.status === 'checked_in' ? 'check-in' : 'no-show'}.`);
  if (next === 'no_show' && a.status === 'booked' && now < a.start)
    throw new ApiFailure('conflict', `A no-show can only be recorded once the visit has started (${zonedLabel(a.start, zone)}).`);
}

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
  if (input.bookedInError && input.status !== 'cancelled') throw new ApiFailure('invalid_input', 'Only a cancellation can undo a booking.');
  if (input.status === 'cancelled' && !input.reason && !input.bookedInError)
    throw new ApiFailure('invalid_input', 'Give a reason for the cancellation.');
  const reason = input.bookedInError ? (input.reason ?? 'Booked in error (undone right after booking)') : input.reason;
  checkTiming(deps, target, input.status, input.reason);
  const affected = input.status === 'cancelled' ? withFollowing(db, target, input.scope) : [target];
  const drafts = affected.flatMap((a) => {
    // An undone booking is a plain cancellation: the patient gave no late notice (docs/architecture.md#schedule).
    const late = input.status === 'cancelled' && !input.bookedInError && a.start - deps.now() < LATE_CANCEL_MS;
    const status: AppointmentStatus = late ? 'late_cancelled' : input.status;
    if (a.status === status) return [];
    if (!TRANSITIONS[a.status].includes(status)) {
      if (a.appointmentId === target.appointmentId)
        throw new ApiFailure('conflict', `A visit that is ${a.status.replace('_', ' ')} cannot become ${status.replace('_', ' ')}.`);
      return [];
    }
    return [
      sealedDraft(patientKey(deps, a.patientId), a.patientId, 'appointment.status.set', { appointmentId: a.appointmentId, status, reason }, by),
    ];
  });
  deps.ledger.appendMany(drafts);
  return affected.map((a) => appointment(db, a.appointmentId));
}

export function conflicts(db: Db, from: number): CallOutput<'schedule.conflicts'> {
  return overlappingPairs(db, from).map((p) => ({ a: appointment(db, p.a), b: appointment(db, p.b), over: p.over }));
}

/** Adds a room, or renames or retires one (managers; docs/architecture.md#schedule). Retired rooms stay on the visits that used them. */
export function defineRoom(deps: ScheduleDeps, input: CallParsedInput<'schedule.defineRoom'>, ctx: CallContext): CallOutput<'schedule.defineRoom'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  if (input.roomId !== null && !roomExists(db, input.roomId)) throw new ApiFailure('not_found', 'There is no such room.');
  if (input.active && openRoomNamed(db, input.name, input.roomId) !== null)
    throw new ApiFailure('conflict', `There is already a room called ${input.name}. Choose another name.`);
  const roomId = input.roomId ?? randomBytes(16).toString('hex');
  deps.ledger.append({
    stream: clinicStream(requireClinicId(db), 'public'),
    kind: 'room.defined',
    by,
    body: { roomId, name: input.name, active: input.active },
  });
  return { roomId, name: input.name, active: input.active };
}

/** Adds an appointment type, or renames, re-times or retires one (managers). Retired types stay on the visits that used them. */
export function defineType(deps: ScheduleDeps, input: CallParsedInput<'schedule.defineType'>, ctx: CallContext): CallOutput<'schedule.defineType'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  if (input.typeId !== null && !typeExists(db, input.typeId)) throw new ApiFailure('not_found', 'There is no such appointment type.');
  if (input.active && activeTypeNamed(db, input.name, input.typeId) !== null)
    throw new ApiFailure('conflict', `There is already an appointment type called ${input.name}. Choose another name.`);
  const typeId = input.typeId ?? randomBytes(16).toString('hex');
  const body = { typeId, name: input.name, minutes: input.minutes, category: input.category, active: input.active };
  deps.ledger.append({
    stream: clinicStream(requireClinicId(db), 'public'),
    kind: 'appointment.type.defined',
    by,
    body,
  });
  return body;
}

/**
 * A visit's signed history, oldest first: its booking, moves and status changes with who recorded
 * them and why (read from the patient's schedule stream with the patient's key; an entry this
 * computer cannot open is left out).
 */
/**
 * A visit's history. Its reply does not name the patient, so the reading is recorded here, as the
 * visit's patient seen (docs/architecture.md#access-audit).
 */
export function history(
  deps: ScheduleDeps & { readonly reads: ReadLog },
  input: CallParsedInput<'schedule.history'>,
  ctx: CallContext,
): VisitEvent[] {
  const db = deps.ledger.db;
  const a = appointment(db, input.appointmentId);
  deps.reads.listed(ctx, 'schedule.history', [a.patientId]);
  const stream = patientStream(a.patientId, 'schedule');
  const rows = db
    .prepare<[string], { bytes: Buffer }>('SELECT bytes FROM entries WHERE stream = ? ORDER BY height, hash')
    .all(stream)
    .map((r) => JSON.parse(r.bytes.toString('utf8')) as { kind: string; at: number; by: string | null; body: SealedBody });
  return rows.flatMap((e): VisitEvent[] => {
    const byName = e.by ? staffName(db, e.by) : null;
    if (e.kind === 'appointment.booked') {
      const b = openStoredBody(deps.keystore, a.patientId, stream, 'appointment.booked', e.body);
      return b?.appointmentId === a.appointmentId ? [{ at: e.at, byName, kind: 'booked', start: b.start, status: null, reason: null }] : [];
    }
    if (e.kind === 'appointment.moved') {
      const m = openStoredBody(deps.keystore, a.patientId, stream, 'appointment.moved', e.body);
      return m?.appointmentId === a.appointmentId ? [{ at: e.at, byName, kind: 'moved', start: m.start, status: null, reason: null }] : [];
    }
    if (e.kind === 'appointment.status.set') {
      const st = openStoredBody(deps.keystore, a.patientId, stream, 'appointment.status.set', e.body);
      return st?.appointmentId === a.appointmentId ? [{ at: e.at, byName, kind: 'status', start: null, status: st.status, reason: st.reason }] : [];
    }
    return [];
  });
}

const QUARTER_HOUR_MS = 15 * 60_000;
const SEARCH_DAYS = 56;
/** Where a suggestion looks when neither the therapist nor the clinic has hours: a usual working day, Monday to Friday. */
const USUAL_DAY: readonly WeeklyBlock[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));

/**
 * The booking form's default time (docs/architecture.md#schedule): the first quarter hour from now
 * inside the binding hours (the therapist's, else the clinic's opening hours, else a usual working
 * day) where the therapist and the room are free and the therapist is not off.
 */
export function nextFree(deps: ScheduleDeps, input: CallParsedInput<'schedule.nextFree'>): CallOutput<'schedule.nextFree'> {
  const db = deps.ledger.db;
  const zone = clinicTimeZone(db);
  const length = input.minutes * 60_000;
  const from = Math.ceil(deps.now() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const to = from + (SEARCH_DAYS + 1) * 24 * 60 * 60_000;
  const weekly = bindingHours(db, input.therapistId)?.weekly ?? USUAL_DAY;
  const busy = [
    ...(input.therapistId !== null || input.roomId !== null
      ? busyBetween(db, { therapistId: input.therapistId, roomId: input.roomId, from, to })
      : []),
    ...(input.therapistId !== null ? timeOffBetween(db, input.therapistId, from, to) : []),
  ];
  const first = wallClock(from, zone);
  const [y = 1970, m = 1, d = 1] = first.date.split('-').map(Number);
  for (let day = 0; day <= SEARCH_DAYS; day++) {
    const date = new Date(Date.UTC(y, m - 1, d + day)).toISOString().slice(0, 10);
    const weekday = ((first.weekday - 1 + day) % 7) + 1;
    const blocks = weekly.filter((b) => b.weekday === weekday).sort((p, q) => p.start.localeCompare(q.start));
    for (const block of blocks) {
      for (let minute = minutesOf(block.start); minute + input.minutes <= minutesOf(block.end); minute += 15) {
        const start = instantAt(date, clockTime(minute), zone);
        if (start < from) continue;
        const end = start + length;
        if (!busy.some((b) => b.start < end && start < b.end)) return { start };
      }
    }
  }
  return { start: null };
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
