import { addHours, format, startOfDay, startOfHour } from 'date-fns';
import type { Appointment } from '../../../../shared/api/index.js';
import { STATUS_LABEL } from './calendar.js';
import { patientLine } from './patientIdentity.js';

/** One visit on the calendar. */
export interface VisitEvent {
  readonly kind: 'visit';
  readonly id: string;
  readonly title: string;
  /** The title without the patient: type, and the status when it is not booked. */
  readonly what: string;
  readonly start: Date;
  readonly end: Date;
  readonly resourceId: string;
  readonly appointment: Appointment;
}

/** The visits of one hour of a day too busy to draw one by one; opens that day. */
export interface CountEvent {
  readonly kind: 'count';
  readonly id: string;
  readonly title: string;
  readonly start: Date;
  readonly end: Date;
  readonly resourceId: string;
  readonly visits: number;
  readonly conflicts: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** The hour's visits by start; drawn one per line when there are at most LISTED_PER_HOUR. */
  readonly appointments: readonly Appointment[];
}

export type CalendarEvent = VisitEvent | CountEvent;

/**
 * More visits than this at one moment of a day make that day's week column unreadable (each
 * would be under 30 px wide), so the week view shows the day as visits per hour instead.
 */
export const READABLE_OVERLAP = 6;

/**
 * The whole clinic's week (docs/architecture.md#whole-clinic-week): a week column is about 160 px
 * wide, so even two visits side by side cut off their names. A day with any visits at the same
 * time is drawn as one block per hour instead, which lists that hour's visits (time, patient,
 * therapist) one per line when there are at most LISTED_PER_HOUR of them, and counts them when
 * there are more.
 */
export const WEEK_OVERLAP = 1;
export const LISTED_PER_HOUR = 4;

const clock = (d: Date | number) => format(d, 'HH:mm');

/** One line of text for a visit: who (with date of birth), what, with whom, where, when. */
export function visitTooltip(a: Appointment): string {
  const status = a.status === 'booked' ? '' : ` — ${STATUS_LABEL[a.status] ?? a.status}`;
  return `${patientLine(a)} · ${a.typeName ?? 'Visit'} with ${a.therapistName ?? 'a therapist'}${a.roomName ? `, ${a.roomName}` : ''} · ${clock(a.start)}–${clock(a.end)}${status}`;
}

/**
 * An event's tooltip, made when the event is drawn (not for every visit of a busy week): a visit's
 * full line, or an hour's count and its first visits.
 */
export function eventTooltip(e: CalendarEvent): string {
  if (e.kind === 'visit') return visitTooltip(e.appointment);
  const more = e.appointments.length - TOOLTIP_LINES;
  return [
    `${e.title} — open the day by therapist`,
    ...e.appointments.slice(0, TOOLTIP_LINES).map(visitTooltip),
    ...(more > 0 ? [`and ${more} more`] : []),
  ].join('\n');
}
const TOOLTIP_LINES = 12;

/**
 * A visit as one short line of an hour block: "09:30 Tanaka, O. · Priya". A summary, not where a
 * patient is identified: its tooltip has the full name, the date of birth and any shared-name
 * warning, and the block opens the day where each visit shows them.
 */
export function compactLine(a: Appointment): string {
  const [family, given] = (a.patientName ?? 'Patient').split(', ');
  const patient = given ? `${family}, ${given.charAt(0)}.` : (family ?? 'Patient');
  const therapist = (a.therapistName ?? '').split(' ')[0] ?? '';
  return `${clock(a.start)} ${patient}${therapist ? ` · ${therapist}` : ''}`;
}

/** The visits a person can see on the calendar: cancelled ones are not drawn. */
export function visitEvents(appointments: readonly Appointment[], groupBy: 'therapist' | 'room' | 'none'): VisitEvent[] {
  const events: VisitEvent[] = [];
  for (const a of appointments) {
    if (a.status === 'cancelled' || a.status === 'late_cancelled') continue;
    const what = `${a.typeName ?? ''}${a.status === 'booked' ? '' : ` (${STATUS_LABEL[a.status] ?? a.status})`}`;
    events.push({
      kind: 'visit',
      id: a.appointmentId,
      title: `${a.patientName ?? 'Patient'} · ${what}`,
      what,
      start: new Date(a.start),
      end: new Date(a.end),
      resourceId: groupBy === 'room' ? (a.roomId ?? '') : a.therapistId,
      appointment: a,
    });
  }
  return events;
}

/** The most intervals [start, end) that overlap at one moment: a sweep over sorted edges, O(n log n). */
export function peakOverlap(intervals: readonly { readonly start: Date; readonly end: Date }[]): number {
  // An end sorts before a start at the same instant: back-to-back visits do not overlap.
  const edges: [at: number, delta: number][] = [];
  for (const e of intervals) edges.push([e.start.getTime(), 1], [e.end.getTime(), -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

/**
 * Days whose visits overlap more than `limit` at some moment become one count per hour (by start
 * time); other days keep their visits. Every visit is in exactly one of the returned events.
 */
export function collapseDenseDays(events: readonly VisitEvent[], limit = READABLE_OVERLAP): CalendarEvent[] {
  const byDay = new Map<number, VisitEvent[]>();
  for (const e of events) {
    const day = startOfDay(e.start).getTime();
    const list = byDay.get(day);
    if (list) list.push(e);
    else byDay.set(day, [e]);
  }
  const shown: CalendarEvent[] = [];
  for (const dayEvents of byDay.values()) {
    if (peakOverlap(dayEvents) <= limit) {
      shown.push(...dayEvents);
      continue;
    }
    const byHour = new Map<number, VisitEvent[]>();
    for (const e of dayEvents) {
      const hour = startOfHour(e.start).getTime();
      const list = byHour.get(hour);
      if (list) list.push(e);
      else byHour.set(hour, [e]);
    }
    for (const [hour, hourEvents] of byHour) shown.push(countEvent(new Date(hour), hourEvents));
  }
  return shown;
}

function countEvent(hour: Date, events: readonly VisitEvent[]): CountEvent {
  const appointments = events.map((e) => e.appointment).sort((x, y) => x.start - y.start || x.appointmentId.localeCompare(y.appointmentId));
  const statuses: Record<string, number> = {};
  let conflicts = 0;
  for (const e of events) {
    statuses[e.appointment.status] = (statuses[e.appointment.status] ?? 0) + 1;
    if (e.appointment.conflict) conflicts++;
  }
  const notBooked = Object.entries(statuses)
    .filter(([status]) => status !== 'booked')
    .map(([status, n]) => `${n} ${(STATUS_LABEL[status] ?? status).toLowerCase()}`);
  const details = [...notBooked, ...(conflicts > 0 ? [`${conflicts} double-booked`] : [])];
  const title = `${events.length} ${events.length === 1 ? 'visit' : 'visits'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return {
    kind: 'count',
    id: `count-${hour.getTime()}`,
    title,
    start: hour,
    end: addHours(hour, 1),
    resourceId: '',
    visits: events.length,
    conflicts,
    statuses,
    appointments,
  };
}
