import { addHours, startOfDay, startOfHour } from 'date-fns';
import type { Appointment } from '../../../../shared/api/index.js';
import { STATUS_LABEL } from './calendar.js';

/** One visit on the calendar. */
export interface VisitEvent {
  readonly kind: 'visit';
  readonly id: string;
  readonly title: string;
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
}

export type CalendarEvent = VisitEvent | CountEvent;

/**
 * More visits than this at one moment of a day make that day's week column unreadable (each
 * would be under 30 px wide), so the week view shows the day as visits per hour instead.
 */
export const READABLE_OVERLAP = 6;

/** The visits a person can see on the calendar: cancelled ones are not drawn. */
export function visitEvents(appointments: readonly Appointment[], groupBy: 'therapist' | 'room' | 'none'): VisitEvent[] {
  const events: VisitEvent[] = [];
  for (const a of appointments) {
    if (a.status === 'cancelled' || a.status === 'late_cancelled') continue;
    events.push({
      kind: 'visit',
      id: a.appointmentId,
      title: `${a.patientName ?? 'Patient'} · ${a.typeName ?? ''}${a.status === 'booked' ? '' : ` (${STATUS_LABEL[a.status] ?? a.status})`}`,
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
  return {
    kind: 'count',
    id: `count-${hour.getTime()}`,
    title: `${events.length} ${events.length === 1 ? 'visit' : 'visits'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`,
    start: hour,
    end: addHours(hour, 1),
    resourceId: '',
    visits: events.length,
    conflicts,
    statuses,
  };
}
