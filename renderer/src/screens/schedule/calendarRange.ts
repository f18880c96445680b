// The hours the day and week views draw (docs/architecture.md#visible-hours): the clinic's
// opening hours, widened to every visit of the period, so that no visit is ever off the grid.
import { differenceInCalendarDays, startOfDay } from 'date-fns';
import { clockTime } from '../../../../shared/time.js';

/** Minutes since local midnight, [start, end); end 1440 is the end of the day. */
export interface DayHours {
  readonly start: number;
  readonly end: number;
}

const DAY_MINUTES = 24 * 60;

/** Drawn when the clinic has no opening hours of its own: a common clinic day. */
export const DEFAULT_HOURS: DayHours = { start: 7 * 60, end: 19 * 60 };

/** The minutes of each day an interval covers, in the computer's time zone (the calendar's). */
function minutesByDay(e: { readonly start: Date; readonly end: Date }): DayHours[] {
  const minute = (d: Date) => d.getHours() * 60 + d.getMinutes() + (d.getSeconds() > 0 || d.getMilliseconds() > 0 ? 1 : 0);
  const startMinute = e.start.getHours() * 60 + e.start.getMinutes();
  // Nearly every visit starts and ends on one day: answered without date arithmetic, as a busy
  // week runs this for thousands of visits on every render of the calendar.
  const sameDay = e.start.getDate() === e.end.getDate() && e.start.getMonth() === e.end.getMonth() && e.start.getFullYear() === e.end.getFullYear();
  const days = sameDay ? 0 : differenceInCalendarDays(e.end, e.start);
  if (days <= 0) return [{ start: startMinute, end: Math.max(minute(e.end), startMinute) }];
  // Across midnight: the first day to its end, whole days between, the last day from its start
  // (nothing of it when the visit ends exactly at midnight).
  const parts: DayHours[] = [{ start: startMinute, end: DAY_MINUTES }];
  if (days > 1) parts.push({ start: 0, end: DAY_MINUTES });
  const lastEnd = minute(e.end);
  if (lastEnd > 0 || startOfDay(e.end).getTime() !== e.end.getTime()) parts.push({ start: 0, end: lastEnd });
  return parts;
}

/**
 * The hours to draw: the opening hours (or DEFAULT_HOURS when none are given), widened to every
 * visit, rounded out to whole hours. A visit across midnight widens the range to the whole day.
 */
export function visibleHours(visits: readonly { readonly start: Date; readonly end: Date }[], opening: readonly DayHours[] = []): DayHours {
  const base = opening.length > 0 ? opening : [DEFAULT_HOURS];
  let start = Math.min(...base.map((h) => h.start));
  let end = Math.max(...base.map((h) => h.end));
  for (const v of visits) {
    for (const part of minutesByDay(v)) {
      start = Math.min(start, part.start);
      end = Math.max(end, part.end);
    }
  }
  start = Math.max(0, Math.floor(start / 60) * 60);
  end = Math.min(DAY_MINUTES, Math.ceil(end / 60) * 60);
  return { start, end: Math.max(end, start + 60) };
}

/**
 * react-big-calendar's `min` and `max` (times of day) for the hours. The end of the day is the
 * last minute's end, 23:59:59, as react-big-calendar cannot take the next day's midnight.
 */
export function calendarBounds(hours: DayHours): { readonly min: Date; readonly max: Date } {
  const at = (minutes: number) => new Date(1970, 0, 1, Math.floor(minutes / 60), minutes % 60);
  return { min: at(hours.start), max: hours.end >= DAY_MINUTES ? new Date(1970, 0, 1, 23, 59, 59) : at(hours.end) };
}

/**
 * The events of the period that the calendar would not draw, so the screen can say so: any
 * part outside the drawn hours, or a column (therapist or room) that is not shown. Empty when
 * `visibleHours` chose the hours and every column is shown; kept as a check, never silent.
 */
export function undrawn<E extends { readonly start: Date; readonly end: Date; readonly resourceId: string }>(
  events: readonly E[],
  hours: DayHours,
  columns: readonly string[] | null,
): E[] {
  const shown = columns === null ? null : new Set(columns);
  return events.filter(
    (e) => (shown !== null && !shown.has(e.resourceId)) || minutesByDay(e).some((part) => part.start < hours.start || part.end > hours.end),
  );
}

/** The hours of one day as text for a note ("07:00–19:00"). */
export function hoursLabel(hours: DayHours): string {
  return `${clockTime(hours.start)}–${clockTime(hours.end)}`;
}
