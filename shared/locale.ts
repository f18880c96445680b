/**
 * The clinic's locale (a BCP 47 tag such as "en-GB" or "en-US"): how every screen writes and reads
 * dates and times (docs/architecture.md#dates-times-and-the-clinic-locale). A clinic setting, so
 * that every computer of the clinic shows and accepts the same format.
 */

/** Used when a clinic never recorded a locale and this runtime has none to offer. */
export const DEFAULT_LOCALE = 'en-GB';

/** The tag in canonical form ("en-gb" → "en-GB"), or null when it is not a well-formed BCP 47 tag. */
export function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** Whether this runtime formats dates for the tag (its ICU data has the language), not only whether it is well formed. */
export function isLocale(tag: string): boolean {
  const canonical = canonicalLocale(tag);
  if (canonical === null) return false;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0;
  } catch {
    return false;
  }
}

/** The order in which a locale writes a numeric date: day-month-year, month-day-year, or year-month-day. */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

// 22 November 2001: day, month and year are all different, so their order in the output is unambiguous.
const PROBE = Date.UTC(2001, 10, 22, 12);

/**
 * How the clinic's locale orders a numeric date, so that "05/06/1986" is read as the clinic
 * writes it (5 June in en-GB, May 6 in en-US). Read from the locale's own numeric date format.
 */
export function clinicDateOrder(locale: string): DateOrder {
  const tag = canonicalLocale(locale) ?? DEFAULT_LOCALE;
  const parts = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).formatToParts(PROBE);
  const order = parts
    .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
    .map((p) => p.type.charAt(0))
    .join('');
  return order === 'mdy' ? 'mdy' : order === 'ymd' ? 'ymd' : 'dmy';
}

/** The separator the locale writes between the numbers of a date ("/" in en-GB, "." in de-DE). */
export function dateSeparator(locale: string): string {
  const tag = canonicalLocale(locale) ?? DEFAULT_LOCALE;
  const literal = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' })
    .formatToParts(PROBE)
    .find((p) => p.type === 'literal');
  const separator = literal?.value.trim() ?? '/';
  return separator === '' ? '/' : separator.charAt(0);
}

/** Whether the locale writes times on a 12-hour clock with AM/PM (en-US) rather than 24 hours (en-GB). */
export function usesTwelveHourClock(locale: string): boolean {
  const tag = canonicalLocale(locale) ?? DEFAULT_LOCALE;
  const cycle = new Intl.DateTimeFormat(tag, { hour: 'numeric', timeZone: 'UTC' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12';
}
