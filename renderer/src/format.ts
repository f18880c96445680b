// How every screen writes and reads dates and times: in the clinic's locale (a clinic setting,
// docs/architecture.md#dates-times-and-the-clinic-locale) and this computer's time zone. Every
// date or time on a screen, the calendar's included, goes through this module, so that no screen
// writes 14:00 while another writes 2:00 PM.
import { format as formatDate, isValid, parse } from 'date-fns';
import { clinicDateOrder, DEFAULT_LOCALE, isLocale, usesTwelveHourClock } from '../../shared/locale.js';

/** This browser's own locale: the default the setup screen offers, and what shows before sign-in. */
export function browserLocale(): string {
  const here = typeof navigator === 'undefined' ? undefined : navigator.language;
  return here !== undefined && isLocale(here) ? here : DEFAULT_LOCALE;
}

let current = browserLocale();

/**
 * Sets the locale every formatter here uses. The signed-in shell calls it with the session's
 * locale before rendering the screens (and again when a manager changes it): one clinic per app
 * window, so one locale at a time.
 */
export function setClinicLocale(locale: string): void {
  current = isLocale(locale) ? locale : browserLocale();
}

/** The locale the formatters use now. */
export function clinicLocale(): string {
  return current;
}

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${current} ${JSON.stringify(options)}`;
  let made = cache.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(current, options);
    cache.set(key, made);
  }
  return made;
}

/** A date formatter in the clinic's locale (looked up when used, so a change of locale applies at once). */
export interface DateFormat {
  format(date: Date | number): string;
}

function style(options: Intl.DateTimeFormatOptions): DateFormat {
  return { format: (date) => formatter(options).format(date) };
}

/** "30 Nov 2026" / "Nov 30, 2026". */
export const dateOnly = style({ dateStyle: 'medium' });
/** "30 November 2026" / "November 30, 2026". */
export const longDate = style({ dateStyle: 'long' });
/** "30 Nov 2026, 14:02" / "Nov 30, 2026, 2:02 PM". */
export const when = style({ dateStyle: 'medium', timeStyle: 'short' });
/** "14:02" / "2:02 PM". */
export const timeOnly = style({ timeStyle: 'short' });
/** "Monday 30 November" / "Monday, November 30": a day's heading. */
export const dayHeading = style({ weekday: 'long', day: 'numeric', month: 'long' });
/**
 * A date part followed by the time exactly as `timeOnly` writes it ("14:02" / "2:02 PM"): Intl
 * cannot combine `timeStyle` with a weekday, and `hour: 'numeric'` would write 9:00 where every
 * other screen of an en-GB clinic writes 09:00.
 */
function withTime(date: Intl.DateTimeFormatOptions, joiner = ', '): DateFormat {
  return { format: (d) => `${formatter(date).format(d)}${joiner}${formatter({ timeStyle: 'short' }).format(d)}` };
}

/** "Monday 30 November at 14:02" / "Monday, November 30 at 2:02 PM": a visit, or a time to book at. */
export const visitWhen = withTime({ weekday: 'long', day: 'numeric', month: 'long' }, ' at ');
/** "Mon 30 Nov, 14:02": a visit in a list. */
export const shortVisitWhen = withTime({ weekday: 'short', day: 'numeric', month: 'short' });
/** "30 Nov, 14:02" / "Nov 30, 2:02 PM": a moment this year. */
export const dayAndTime = withTime({ day: 'numeric', month: 'short' });

/** "14:00 – 14:45" / "2:00 – 2:45 PM". */
export function timeRange(start: Date | number, end: Date | number): string {
  return formatter({ timeStyle: 'short' }).formatRange(start, end);
}

/** "30 Nov – 6 Dec 2026" / "Nov 30 – Dec 6, 2026". */
export function dateRange(start: Date | number, end: Date | number): string {
  return formatter({ day: 'numeric', month: 'short', year: 'numeric' }).formatRange(start, end);
}

// ------------------------------------------------------------------ counts in words

const englishPlural = new Intl.PluralRules('en');

/** "1 minute", "5 minutes": the words are English (the app's language), the number in the clinic's locale. */
export function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString(current)} ${englishPlural.select(n) === 'one' ? one : many}`;
}

export const minutes = (n: number) => count(n, 'minute', 'minutes');

// ------------------------------------------------------------------ typed dates and times

/**
 * Dates and times are typed as text in the clinic's pattern (not `<input type="date">`, whose
 * format follows the browser's language and not the clinic's): "30/11/2026 14:00" in en-GB,
 * "11/30/2026 2:00 PM" in en-US. The pattern is shown next to the field and parsed with date-fns;
 * what does not parse gets a message naming the pattern.
 */
function datePattern(locale: string): { show: string; read: string } {
  switch (clinicDateOrder(locale)) {
    case 'mdy':
      return { show: 'MM/dd/yyyy', read: 'M/d/yyyy' };
    case 'ymd':
      return { show: 'yyyy-MM-dd', read: 'yyyy/M/d' };
    case 'dmy':
      return { show: 'dd/MM/yyyy', read: 'd/M/yyyy' };
  }
}

function timePatterns(locale: string): { show: string; read: readonly string[] } {
  // A 12-hour clinic may still type 14:00; "2 PM" and "2:00pm" are read too.
  return usesTwelveHourClock(locale) ? { show: 'h:mm a', read: ['h:mm a', 'h:mma', 'h a', 'ha', 'H:mm'] } : { show: 'HH:mm', read: ['H:mm', 'H.mm'] };
}

/** Any of / . - between the numbers of a date, and spaces trimmed. */
const normaliseDate = (text: string) => text.trim().replace(/\s*[./-]\s*/g, '/');

/** A date as the clinic types it: "30/11/2026". */
export function formatDateInput(date: Date | number): string {
  return formatDate(date, datePattern(current).show);
}

/** A time as the clinic types it: "14:00" / "2:00 PM". */
export function formatTimeInput(date: Date | number): string {
  return formatDate(date, timePatterns(current).show);
}

/** A date and time as the clinic types it: "30/11/2026 14:00". */
export function formatDateTimeInput(date: Date | number): string {
  return `${formatDateInput(date)} ${formatTimeInput(date)}`;
}

/** An example of the typed date format, to show as a hint: "dd/mm/yyyy, e.g. 30/11/2026". */
export function dateInputHint(): string {
  return `${datePattern(current).show.toLowerCase()}, e.g. ${formatDateInput(EXAMPLE)}`;
}

/** An example of the typed date-and-time format: "e.g. 30/11/2026 14:00". */
export function dateTimeInputHint(): string {
  return `e.g. ${formatDateTimeInput(EXAMPLE)}`;
}

/** An example of the typed time format: "e.g. 14:00". */
export function timeInputHint(): string {
  return `e.g. ${formatTimeInput(EXAMPLE)}`;
}

const EXAMPLE = new Date(2026, 10, 30, 14, 0);

/** Parses a typed date (clinic order, or ISO yyyy-mm-dd) to local midnight; null when it is not a real date. */
export function parseDateInput(text: string): Date | null {
  const t = normaliseDate(text);
  if (t === '') return null;
  const patterns = /^\d{4}\//.test(t) ? ['yyyy/M/d'] : [datePattern(current).read];
  for (const p of patterns) {
    const d = parse(t, p, new Date(2000, 0, 1));
    if (isValid(d) && d.getFullYear() >= 1000) return d;
  }
  return null;
}

/** A typed date as stored ("1986-05-28"); the text itself when it is not a date, for the schema to refuse. */
export function isoFromDateInput(text: string): string {
  const d = parseDateInput(text);
  return d ? formatDate(d, 'yyyy-MM-dd') : text.trim();
}

/** A stored date ("1986-05-28", e.g. a date of birth: no time, no zone) as the clinic writes it: "28/05/1986". */
export function formatIsoDate(iso: string | null): string {
  if (iso === null) return '—';
  const d = parse(iso, 'yyyy-MM-dd', new Date(2000, 0, 1));
  return isValid(d) ? formatDateInput(d) : iso;
}

/** Parses a typed time ("14:00", "2:00 PM") onto `day`; null when it is not a time. */
export function parseTimeInput(text: string, day: Date): Date | null {
  const t = text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\b([ap])\.?m\.?$/i, '$1m');
  if (t === '') return null;
  for (const p of timePatterns(current).read) {
    const d = parse(t, p, day);
    if (isValid(d)) return d;
  }
  return null;
}

/** Parses a typed date and time ("30/11/2026 14:00"); null when either part does not parse. */
export function parseDateTimeInput(text: string): Date | null {
  // "2026-11-30T14:00" (ISO, as pasted or as a datetime-local value) is read too.
  const match = /^\s*(\S+?)(?:\s+|(?<=^\s*\d{4}-\d{1,2}-\d{1,2})T)(.+)$/.exec(text);
  if (!match) return null;
  const day = parseDateInput(match[1] ?? '');
  return day ? parseTimeInput(match[2] ?? '', day) : null;
}

/** A typed time of day as "HH:mm" (how weekly hours are stored), or null when it is not a time. */
export function parseTimeOfDay(text: string): string | null {
  const d = parseTimeInput(text, new Date(2000, 0, 1));
  return d ? formatDate(d, 'HH:mm') : null;
}

/** A stored "HH:mm" time of day as the clinic types it ("14:00" / "2:00 PM"). */
export function formatTimeOfDay(hhmm: string): string {
  const d = parse(hhmm, 'HH:mm', new Date(2000, 0, 1));
  return isValid(d) ? formatTimeInput(d) : hhmm;
}

/** The message for a date and time that does not parse. */
export function dateTimeProblem(what: string): string {
  return `Enter ${what} as a date and time such as ${formatDateTimeInput(EXAMPLE)} (${datePattern(current).show.toLowerCase()} then the time).`;
}

/** The message for a date that does not parse. */
export function dateProblem(what: string): string {
  return `Enter ${what} as a date such as ${formatDateInput(EXAMPLE)} (${datePattern(current).show.toLowerCase()}).`;
}

// ------------------------------------------------------------------ the calendar

/**
 * react-big-calendar's formats (Formats in its types), written with Intl in `locale` rather than
 * its date-fns patterns: the calendar then writes times exactly as every other screen does. Pass
 * `culture={locale}` with them.
 */
export function calendarFormats(locale: string) {
  const f = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options);
  const time = f({ timeStyle: 'short' });
  const days = f({ day: 'numeric', month: 'short', year: 'numeric' });
  const dayOfMonth = f({ day: '2-digit' });
  const dayColumn = f({ weekday: 'short', day: 'numeric', month: 'numeric' });
  const weekday = f({ weekday: 'short' });
  const monthYear = f({ month: 'long', year: 'numeric' });
  const dayTitle = f({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const agendaDay = f({ weekday: 'short', day: 'numeric', month: 'short' });
  const span = ({ start, end }: { start: Date; end: Date }) => time.formatRange(start, end);
  const period = ({ start, end }: { start: Date; end: Date }) => days.formatRange(start, end);
  return {
    dateFormat: (d: Date) => dayOfMonth.format(d),
    dayFormat: (d: Date) => dayColumn.format(d),
    weekdayFormat: (d: Date) => weekday.format(d),
    timeGutterFormat: (d: Date) => time.format(d),
    monthHeaderFormat: (d: Date) => monthYear.format(d),
    dayHeaderFormat: (d: Date) => dayTitle.format(d),
    dayRangeHeaderFormat: period,
    agendaHeaderFormat: period,
    agendaDateFormat: (d: Date) => agendaDay.format(d),
    agendaTimeFormat: (d: Date) => time.format(d),
    agendaTimeRangeFormat: span,
    eventTimeRangeFormat: span,
    eventTimeRangeStartFormat: ({ start }: { start: Date }) => `${time.format(start)} –`,
    eventTimeRangeEndFormat: ({ end }: { end: Date }) => `– ${time.format(end)}`,
    selectRangeFormat: span,
  };
}
