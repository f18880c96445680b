import { TZDate } from '@date-fns/tz';
import { addWeeks, format } from 'date-fns';

/**
 * Wall-clock time in the clinic's time zone (IANA name, e.g. "Europe/Berlin"). Weekly hours and
 * series are wall-clock: 09:00 on Mondays stays 09:00 when the clocks change.
 */
export const DEFAULT_TIME_ZONE = 'UTC';

/** Whether this runtime knows the zone (its ICU data). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A zone as people read it: "America/New York". */
export function zoneName(zone: string): string {
  return zone.replaceAll('_', ' ');
}

/** The zones this runtime knows, for pickers; UTC first. */
export function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [DEFAULT_TIME_ZONE, ...known.filter((z) => z !== DEFAULT_TIME_ZONE)];
}

/** An instant as the zone's clocks show it: weekday (1 = Monday … 7 = Sunday), date and minutes since midnight. */
export function wallClock(ms: number, zone: string): { readonly weekday: number; readonly date: string; readonly minutes: number } {
  const d = new TZDate(ms, zone);
  return { weekday: ((d.getDay() + 6) % 7) + 1, date: format(d, 'yyyy-MM-dd'), minutes: d.getHours() * 60 + d.getMinutes() };
}

/** Minutes since midnight as a clock shows them: 545 → "09:05". */
export function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The same wall-clock time `weeks` weeks later in the zone (not a fixed 7 × 24 hours). */
export function addWallClockWeeks(ms: number, weeks: number, zone: string): number {
  return addWeeks(new TZDate(ms, zone), weeks).getTime();
}

/** The instant at which the zone's clocks show `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function instantAt(date: string, time: string, zone: string): number {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, min = 0] = time.split(':').map(Number);
  return new TZDate(y, m - 1, d, h, min, zone).getTime();
}

/** A short label of an instant in the zone, with the zone's abbreviation (e.g. "Mon 26 Oct, 09:00 CET"). */
export function zonedLabel(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(ms);
}
