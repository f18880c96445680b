import { ApiFailure } from '../../shared/api/index.js';
import { nameTokens } from '../../shared/text.js';

/**
 * One term of a patient search (docs/architecture.md#patient-search). A patient matches a query
 * when they match every term of it.
 */
export type PatientTerm =
  /** The start of one of the patient's name words (given, family or preferred; accents and case folded). */
  | { readonly kind: 'name'; readonly word: string }
  /** Born on this date (YYYY-MM-DD). */
  | { readonly kind: 'born'; readonly date: string }
  /** Born in this year; four digits may also be the start or end of a phone number. */
  | { readonly kind: 'bornInYear'; readonly year: number; readonly orPhone: boolean }
  /** Born on this day of any year (MM-DD). */
  | { readonly kind: 'bornOnDay'; readonly monthDay: string }
  /** Phone digits: the start or the end of the patient's phone number, however it was typed. */
  | { readonly kind: 'phone'; readonly digits: string };

/** How the clinic writes dates, and the year it is (a year after it is not a year of birth). */
export interface QueryContext {
  /** True where dates are written day first (28/05/1986), false where month first (05/28/1986). */
  readonly dayFirst: boolean;
  readonly thisYear: number;
}

/** More terms than this is not a search but a paste: refused with a message. */
export const MAX_TERMS = 8;
/** Fewer phone digits than this would match most of the clinic: such a part is read as a name word. */
export const MIN_PHONE_DIGITS = 3;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');
/** Days in a month, 29 for February: a day and month without a year may be a 29 February birthday. */
const daysIn = (month: number, year: number | null) =>
  month === 2 ? (year === null || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const FULL = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;
const DAY_MONTH = /^(\d{1,2})([-/.])(\d{1,2})$/;
/** Digits with what people put between them in a phone number. */
const PHONE_LIKE = /^\+?[\d().-]*\d[\d().-]*$/;

/**
 * Which of two numbers is the day and which the month: the one over 12 is the day; when both
 * could be either, the clinic's order decides (docs/architecture.md#patient-search). Null when
 * neither reading is a date (or the numbers are still being typed: a 0).
 */
function dayAndMonth(a: number, b: number, ctx: QueryContext): { day: number; month: number } | null {
  if (a === 0 || b === 0) return null;
  if (a > 12 && b > 12) return null;
  if (a > 12) return { day: a, month: b };
  if (b > 12) return { day: b, month: a };
  return ctx.dayFirst ? { day: a, month: b } : { day: b, month: a };
}

const impossible = (part: string, day: number, month: number, year: number | null): never => {
  const monthName = MONTHS[month - 1];
  throw new ApiFailure(
    'invalid_input',
    monthName === undefined || day > 31
      ? `“${part}” is not a date. Write a date of birth as day, month and year (for example 28/05/1986), or as 1986-05-28.`
      : `“${part}” is not a date: ${monthName}${year === null ? '' : ` ${String(year)}`} has ${String(daysIn(month, year))} days.`,
  );
};

/**
 * What one whitespace-separated part means on its own: a date form, phone digits, or name words.
 * Incomplete forms (a year of fewer than four digits, a 0 still to be followed by a digit) are
 * read as name words, which match nothing, so typing never flashes an error; a complete form that
 * is no date (31/02/1990) is refused with a message.
 */
type Part =
  /** Terms; a date written with dashes (28-05-1986) may also be a phone number typed with dashes: `orDigits`. */
  | { readonly kind: 'terms'; readonly terms: readonly PatientTerm[]; readonly orDigits?: string }
  | { readonly kind: 'digits'; readonly digits: string };

const words = (part: string): Part => ({ kind: 'terms', terms: nameTokens(part).map((word) => ({ kind: 'name', word })) });
/** A date still being typed (28/0): its digits as name words, which match no one. */
const incomplete = words;
const dated = (part: string, term: PatientTerm): Part =>
  part.includes('-') ? { kind: 'terms', terms: [term], orDigits: part.replace(/\D/g, '') } : { kind: 'terms', terms: [term] };

function readPart(part: string, ctx: QueryContext): Part {
  const iso = ISO.exec(part);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year))
      return dated(part, { kind: 'born', date: `${String(year)}-${pad(month)}-${pad(day)}` });
    // Dashes are also phone punctuation (0800-12-34): digits, when this is no date.
    if (part.includes('-')) return { kind: 'digits', digits: part.replace(/\D/g, '') };
    if (month === 0 || day === 0) return incomplete(part);
    return impossible(part, day, month, year);
  }
  const full = FULL.exec(part);
  if (full) {
    const year = Number(full[4]);
    const dm = dayAndMonth(Number(full[1]), Number(full[3]), ctx);
    if (dm && dm.day <= daysIn(dm.month, year)) return dated(part, { kind: 'born', date: `${String(year)}-${pad(dm.month)}-${pad(dm.day)}` });
    // Dashes are also phone punctuation (12-34-5678): digits, when this is no date.
    if (full[2] === '-') return { kind: 'digits', digits: part.replace(/\D/g, '') };
    if (dm === null && (Number(full[1]) === 0 || Number(full[3]) === 0)) return incomplete(part);
    return impossible(part, dm?.day ?? 32, dm?.month ?? 13, year);
  }
  const dayMonth = DAY_MONTH.exec(part);
  if (dayMonth) {
    const dm = dayAndMonth(Number(dayMonth[1]), Number(dayMonth[3]), ctx);
    if (dm && dm.day <= daysIn(dm.month, null)) return dated(part, { kind: 'bornOnDay', monthDay: `${pad(dm.month)}-${pad(dm.day)}` });
    if (dayMonth[2] === '-') return { kind: 'digits', digits: part.replace(/\D/g, '') };
    if (Number(dayMonth[1]) === 0 || Number(dayMonth[3]) === 0) return incomplete(part);
    return impossible(part, dm?.day ?? 32, dm?.month ?? 13, null);
  }
  if (PHONE_LIKE.test(part)) return { kind: 'digits', digits: part.replace(/\D/g, '') };
  return words(part);
}

/** What a run of digits means: a year of birth (or phone digits), phone digits, or (too short for a phone) a name word. */
function digitsTerm(digits: string, ctx: QueryContext): PatientTerm {
  if (/^\d{4}$/.test(digits)) {
    const year = Number(digits);
    if (year >= 1900 && year <= ctx.thisYear) return { kind: 'bornInYear', year, orPhone: true };
  }
  return digits.length >= MIN_PHONE_DIGITS ? { kind: 'phone', digits } : { kind: 'name', word: digits };
}

/**
 * Reads a search query (docs/architecture.md#patient-search) into its possible readings, most
 * likely first; each reading is a list of terms that must all match, and the search answers with
 * the first reading that finds anyone. Parts are separated by white space or commas. Consecutive
 * parts made of digits are first read as one phone number typed with spaces ("555 201 7788"),
 * then each on its own ("1986 555": born in 1986, phone starting with 555); a date written with
 * dashes (12-05-1986) is last read as phone digits. The empty query has one reading, with no terms.
 * Throws an ApiFailure with a message for a date that does not exist, or too many terms.
 */
export function parsePatientQuery(query: string, ctx: QueryContext): PatientTerm[][] {
  const parts = query
    .trim()
    .split(/[\s,;]+/)
    .filter((p) => p !== '')
    .map((p) => readPart(p, ctx));
  const reading = (datesAsDigits: boolean, joinRuns: boolean): PatientTerm[] => {
    const terms: PatientTerm[] = [];
    let run: string[] = [];
    const endRun = () => {
      terms.push(...(joinRuns ? [run.join('')] : run).filter((d) => d !== '').map((d) => digitsTerm(d, ctx)));
      run = [];
    };
    for (const part of parts) {
      if (part.kind === 'digits') run.push(part.digits);
      else if (datesAsDigits && part.orDigits !== undefined) run.push(part.orDigits);
      else {
        endRun();
        terms.push(...part.terms);
      }
    }
    endRun();
    return terms;
  };
  const readings: PatientTerm[][] = [];
  for (const r of [reading(false, true), reading(false, false), reading(true, true)]) {
    if (r.length > MAX_TERMS)
      throw new ApiFailure(
        'invalid_input',
        `That search has ${String(r.length)} words; use at most ${String(MAX_TERMS)} (a name, a date of birth, phone digits).`,
      );
    if (!readings.some((known) => JSON.stringify(known) === JSON.stringify(r))) readings.push(r);
  }
  return readings;
}

/** Whether `locale` writes a numeric date with the day before the month (en-GB, de, fr: yes; en-US, ja, sv: no). */
export function writesDayFirst(locale: string): boolean {
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(
    new Date(Date.UTC(2001, 10, 22)),
  );
  return parts.findIndex((p) => p.type === 'day') < parts.findIndex((p) => p.type === 'month');
}
