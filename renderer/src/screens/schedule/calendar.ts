import { format, getDay, parse, startOfWeek } from 'date-fns';
import { enGB } from 'date-fns/locale/en-GB';
import { dateFnsLocalizer } from 'react-big-calendar';

/** react-big-calendar with date-fns, weeks starting on Monday. */
export const localizer = dateFnsLocalizer({
  format,
  parse,
  startOfWeek: (date: Date) => startOfWeek(date, { weekStartsOn: 1 }),
  getDay,
  locales: { 'en-GB': enGB },
});

/** `datetime-local` input value for a time, in this computer's time zone. */
export function toLocalInput(ms: number): string {
  return format(new Date(ms), "yyyy-MM-dd'T'HH:mm");
}

export function fromLocalInput(value: string): number | null {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export const STATUS_LABEL: Record<string, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
  late_cancelled: 'Late cancellation',
};
