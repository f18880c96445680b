import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../shared/api/index.js';
import { parsePatientQuery, writesDayFirst } from './patientQuery.js';

const dayFirst = { dayFirst: true, thisYear: 2026 };
const monthFirst = { dayFirst: false, thisYear: 2026 };
const read = (q: string, ctx = dayFirst) => parsePatientQuery(q, ctx);

describe('reading a patient search', () => {
  it('reads name words, accents and case folded, each the start of a name word', () => {
    expect(read('  Núñez-López   MAR ')).toEqual([
      [
        { kind: 'name', word: 'nunez' },
        { kind: 'name', word: 'lopez' },
        { kind: 'name', word: 'mar' },
      ],
    ]);
    expect(read('Tanaka, Olivia')).toEqual([
      [
        { kind: 'name', word: 'tanaka' },
        { kind: 'name', word: 'olivia' },
      ],
    ]);
    expect(read('')).toEqual([[]]);
    expect(read('   ')).toEqual([[]]);
  });

  it('reads a full date of birth in ISO or in the clinic’s order, and an unambiguous one in either order', () => {
    const born = (date: string) => [[{ kind: 'born', date }]];
    expect(read('1986-05-28')).toEqual([...born('1986-05-28'), [{ kind: 'phone', digits: '19860528' }]]);
    expect(read('1986/5/8')).toEqual(born('1986-05-08'));
    // Unambiguous: 28 can only be the day, whatever the clinic's order.
    for (const ctx of [dayFirst, monthFirst]) {
      expect(read('28/05/1986', ctx)).toEqual(born('1986-05-28'));
      expect(read('05/28/1986', ctx)).toEqual(born('1986-05-28'));
      expect(read('28.5.1986', ctx)).toEqual(born('1986-05-28'));
      // With dashes it may also be a phone number: that is its second reading.
      expect(read('28-05-1986', ctx)).toEqual([...born('1986-05-28'), [{ kind: 'phone', digits: '28051986' }]]);
    }
    // Ambiguous: the clinic's order decides.
    expect(read('07/03/1984', dayFirst)).toEqual(born('1984-03-07'));
    expect(read('07/03/1984', monthFirst)).toEqual(born('1984-07-03'));
  });

  it('reads a year alone as a year of birth that may also be phone digits, and a day and month without a year', () => {
    expect(read('tanaka 1986')).toEqual([
      [
        { kind: 'name', word: 'tanaka' },
        { kind: 'bornInYear', year: 1986, orPhone: true },
      ],
    ]);
    // A four-digit number that cannot be a year of birth is phone digits.
    expect(read('1850')).toEqual([[{ kind: 'phone', digits: '1850' }]]);
    expect(read('2027')).toEqual([[{ kind: 'phone', digits: '2027' }]]);
    expect(read('28/05')).toEqual([[{ kind: 'bornOnDay', monthDay: '05-28' }]]);
    expect(read('5/28', dayFirst)).toEqual([[{ kind: 'bornOnDay', monthDay: '05-28' }]]);
    expect(read('03/07', dayFirst)).toEqual([[{ kind: 'bornOnDay', monthDay: '07-03' }]]);
    expect(read('03/07', monthFirst)).toEqual([[{ kind: 'bornOnDay', monthDay: '03-07' }]]);
    expect(read('29.2')).toEqual([[{ kind: 'bornOnDay', monthDay: '02-29' }]]);
  });

  it('reads phone digits with or without spaces, dashes and brackets; spaced digits first as one number, then apart', () => {
    expect(read('555')).toEqual([[{ kind: 'phone', digits: '555' }]]);
    expect(read('(555) 201-7788')).toEqual([
      [{ kind: 'phone', digits: '5552017788' }],
      [
        { kind: 'phone', digits: '555' },
        { kind: 'phone', digits: '2017788' },
      ],
    ]);
    expect(read('+1-555-201-7788')).toEqual([[{ kind: 'phone', digits: '15552017788' }]]);
    // Dashes between numbers that make no date are phone punctuation.
    expect(read('12-34')).toEqual([[{ kind: 'phone', digits: '1234' }]]);
    expect(read('olivia 1986 555')).toEqual([
      [
        { kind: 'name', word: 'olivia' },
        { kind: 'phone', digits: '1986555' },
      ],
      [
        { kind: 'name', word: 'olivia' },
        { kind: 'bornInYear', year: 1986, orPhone: true },
        { kind: 'phone', digits: '555' },
      ],
    ]);
    // Too few digits for a phone number: a name word, which matches no one.
    expect(read('olivia 28')).toEqual([
      [
        { kind: 'name', word: 'olivia' },
        { kind: 'name', word: '28' },
      ],
    ]);
  });

  it('reads a date still being typed as words that match no one, never as an error', () => {
    for (const q of ['28/0', '28/05/1', '28/05/19', '28/05/198', '0/5', '1986/00/01']) {
      const [reading] = read(q);
      expect(reading?.every((t) => t.kind === 'name')).toBe(true);
      expect(reading?.length).toBeGreaterThan(0);
    }
  });

  it('refuses a complete date that does not exist, and too many words, with a message', () => {
    const refused = (q: string, ctx = dayFirst) => {
      try {
        read(q, ctx);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiFailure);
        return (e as ApiFailure).message;
      }
      throw new Error(`“${q}” was accepted`);
    };
    expect(refused('31/02/1990')).toBe('“31/02/1990” is not a date: February 1990 has 28 days.');
    expect(refused('29/02/2001')).toBe('“29/02/2001” is not a date: February 2001 has 28 days.');
    expect(read('29/02/2000')).toEqual([[{ kind: 'born', date: '2000-02-29' }]]);
    expect(refused('31/04')).toBe('“31/04” is not a date: April has 30 days.');
    expect(refused('1990/13/01')).toMatch(/^“1990\/13\/01” is not a date\. Write a date of birth as day, month and year/);
    // With dashes, what is no date is phone digits.
    expect(read('1990-13-01')).toEqual([[{ kind: 'phone', digits: '19901301' }]]);
    expect(refused('40/40/1990')).toMatch(/is not a date\./);
    expect(refused('a b c d e f g h i')).toBe('That search has 9 words; use at most 8 (a name, a date of birth, phone digits).');
  });
});

describe('the date order of a locale', () => {
  it('is day first in en-GB, de-DE and fr-FR; month first in en-US, ja-JP and sv-SE (year first)', () => {
    expect(['en-GB', 'de-DE', 'fr-FR', 'es-ES'].map(writesDayFirst)).toEqual([true, true, true, true]);
    expect(['en-US', 'ja-JP', 'sv-SE'].map(writesDayFirst)).toEqual([false, false, false]);
  });
});
