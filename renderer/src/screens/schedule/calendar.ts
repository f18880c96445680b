import { format, getDay, parse, startOfWeek } from 'date-fns';
import { formatDateTimeInput, parseDateTimeInput } from '../../format.js';
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

/**
 * A time as typed in a date-and-time field, in the clinic's format and this computer's time zone
 * (text fields, not `datetime-local`: docs/architecture.md#dates-times-and-the-clinic-locale).
 */
export function toLocalInput(ms: number): string {
  return formatDateTimeInput(ms);
}

/** What was typed in a date-and-time field, or null when it is not a date and time. */
export function fromLocalInput(value: string): number | null {
  return parseDateTimeInput(value)?.getTime() ?? null;
}

export const STATUS_LABEL: Record<string, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
  late_cancelled: 'Late cancellation',
};
