import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientDetailsInput, PatientSummary } from '../../shared/api/index.js';
import { PatientDetails } from '../../shared/api/index.js';
import { nameTokens } from '../../shared/text.js';
import { demoPatients } from '../cli/demo.js';
import type { Ledger } from '../ledger/ledger.js';
import { foundClinic, tempLedger } from '../ledger/testing/fixtures.js';
import { firstPatients, searchPatientIds } from '../views/patients.js';
import type { PatientFilter, PatientRow } from '../views/patients.js';
import { registerPatients, searchPatients } from './patients.js';

const NOW = Date.UTC(2026, 10, 30, 9);
const ledgers: Ledger[] = [];
afterEach(() => {
  for (const l of ledgers.splice(0)) l.db.close();
});

/** A ledger holding a clinic and `list` registered (sealed, as the service registers them). */
function clinicWith(list: readonly PatientDetailsInput[]): Ledger {
  const ledger = tempLedger();
  ledgers.push(ledger);
  const { managerId } = foundClinic(ledger);
  registerPatients(
    { ledger, keystore: ledger.keystore },
    list.map((d) => PatientDetails.parse(d)),
    managerId,
  );
  return ledger;
}

const person = (given: string, family: string, dateOfBirth: string, phone: string | null = null): PatientDetailsInput => ({
  givenName: given,
  familyName: family,
  preferredName: null,
  dateOfBirth,
  sex: 'unknown',
  phone,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
});

const names = (found: readonly PatientSummary[]) => found.map((p) => `${p.givenName ?? ''} ${p.familyName ?? ''} ${p.dateOfBirth ?? ''}`);
const search = (ledger: Ledger, query: string, limit = 200, locale = 'en-GB') => searchPatients(ledger.db, query, limit, NOW, locale);

describe('patient search on the demo clinic', () => {
  it('finds a name with a year or a full date of birth, and the phone prefix every patient shares', () => {
    const demo = demoPatients(200);
    const ledger = clinicWith(demo);
    expect(names(search(ledger, 'tanaka 1986'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, 'olivia 28/05/1986'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, 'olivia 28/05/1986', 200, 'en-US'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, 'Tanaka Olivia 1986-05-28'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, 'olivia 28/05'))).toEqual(['Olivia Tanaka 1986-05-28']);
    // Three "Tanaka, Olivia": the year or the date tells them apart, and each is found by it.
    expect(search(ledger, 'tanaka olivia')).toHaveLength(3);
    expect(search(ledger, '555')).toHaveLength(200);
    expect(search(ledger, '555', 50)).toHaveLength(50);
    // Her phone as typed, with spaces or dashes, by its start or its end.
    expect(names(search(ledger, '555 829 1181'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, '555-829'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, '829 1181'))).toEqual(['Olivia Tanaka 1986-05-28']);
    expect(names(search(ledger, 'tanaka 1181'))).toEqual(['Olivia Tanaka 1986-05-28']);
    // Every term must match.
    expect(search(ledger, 'tanaka 1987')).toEqual(search(ledger, 'tanaka 1987').filter((p) => p.dateOfBirth?.startsWith('1987')));
    expect(search(ledger, 'smith 1986-05-28')).toEqual([]);
    expect(search(ledger, 'tanaka 555 829 1182')).toEqual([]);
  });
});

describe('patient search ranking', () => {
  it('puts whole name words before name starts, and a year of birth before the same digits in a phone number', () => {
    const ledger = clinicWith([
      person('Kimi', 'Aalto', '1970-01-01'),
      person('Ana', 'Kim', '1971-01-01'),
      person('Bea', 'Aaberg', '1970-02-02', '555 000 1986'),
      person('Cai', 'Zed', '1986-03-03'),
    ]);
    expect(names(search(ledger, 'kim'))).toEqual(['Ana Kim 1971-01-01', 'Kimi Aalto 1970-01-01']);
    expect(names(search(ledger, '1986'))).toEqual(['Cai Zed 1986-03-03', 'Bea Aaberg 1970-02-02']);
    // Within a group, name order (family, then given).
    expect(names(search(ledger, 'a'))).toEqual(['Bea Aaberg 1970-02-02', 'Kimi Aalto 1970-01-01', 'Ana Kim 1971-01-01']);
    expect(names(search(ledger, 'a', 2))).toEqual(['Bea Aaberg 1970-02-02', 'Kimi Aalto 1970-01-01']);
  });

  it('reads spaced digits apart when as one number they find no one', () => {
    const ledger = clinicWith([person('Cai', 'Zed', '1986-03-03', '555 123 4567'), person('Dee', 'Zed', '1986-04-04', '556 123 4567')]);
    expect(names(search(ledger, 'zed 1986 555'))).toEqual(['Cai Zed 1986-03-03']);
    expect(names(search(ledger, '1986 4567'))).toEqual(['Cai Zed 1986-03-03', 'Dee Zed 1986-04-04']);
  });

  it('refuses a date that does not exist, with a message', () => {
    const ledger = clinicWith([person('Cai', 'Zed', '1986-03-03')]);
    expect(() => search(ledger, 'zed 31/02/1986')).toThrow('“31/02/1986” is not a date: February 1986 has 28 days.');
  });
});

// Names as people have them: a capital, letters with or without accents, sometimes two words or a hyphen.
const word = fc.stringMatching(/^[A-ZÁÉÖÑ][a-zäéíñöüç]{1,9}$/);
const nameOf = fc.oneof(
  word,
  fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
  fc.tuple(word, word).map(([a, b]) => `${a}-${b}`),
);
const dateOfBirth = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2026, 0, 1)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
// A phone number as typed: digits in groups, separated by spaces, dashes or nothing, maybe with a country code.
const phone = fc
  .tuple(fc.constantFrom('', '+1 ', '+44 '), fc.array(fc.stringMatching(/^\d{2,4}$/), { minLength: 3, maxLength: 4 }), fc.constantFrom(' ', '-', ''))
  .map(([country, groups, sep]) => `${country}${groups.join(sep)}`);
const patients = fc.array(fc.record({ given: nameOf, family: nameOf, dob: dateOfBirth, phone }), { minLength: 1, maxLength: 25 });

describe('every registered patient is found (property)', () => {
  it('by name and date of birth in every form, by year, and by the start or end of their phone number', () => {
    fc.assert(
      fc.property(patients, fc.nat(), (list, pick) => {
        const ledger = clinicWith(list.map((p) => person(p.given, p.family, p.dob, p.phone)));
        const ids = searchPatients(ledger.db, '', 200, NOW).map((p) => p.patientId);
        expect(ids).toHaveLength(list.length);
        const p = list[pick % list.length]!;
        const [y, m, d] = p.dob.split('-') as [string, string, string];
        const isIt = (found: PatientSummary[]) =>
          found.some((f) => f.givenName === p.given && f.familyName === p.family && f.dateOfBirth === p.dob && f.phone === p.phone);
        const firstGiven = p.given.split(/[ -]/)[0]!;
        const lastFamily = p.family.split(/[ -]/).at(-1)!;
        expect(isIt(search(ledger, `${p.family} ${p.given} ${p.dob}`))).toBe(true);
        expect(isIt(search(ledger, `${lastFamily} ${d}/${m}/${y}`, 200, 'en-GB'))).toBe(true);
        expect(isIt(search(ledger, `${lastFamily} ${m}/${d}/${y}`, 200, 'en-US'))).toBe(true);
        expect(isIt(search(ledger, `${firstGiven.toLowerCase()} ${y}`))).toBe(true);
        expect(isIt(search(ledger, `${firstGiven.slice(0, 2)} ${d}.${m}`))).toBe(true);
        const digits = p.phone.replace(/\D/g, '');
        for (const n of [3, 5, digits.length]) {
          expect(isIt(search(ledger, digits.slice(0, n)))).toBe(true);
          expect(isIt(search(ledger, digits.slice(-n)))).toBe(true);
        }
        // As typed on the record, spaces, dashes and country code included.
        expect(isIt(search(ledger, p.phone))).toBe(true);
        // And nothing is found that does not match every term.
        for (const f of search(ledger, `${lastFamily} ${p.dob}`)) {
          expect(f.dateOfBirth).toBe(p.dob);
          expect(nameTokens(`${f.givenName ?? ''} ${f.familyName ?? ''}`).some((t) => t.startsWith(nameTokens(lastFamily)[0]!))).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('the search plan (property)', () => {
  it('gives what checking every patient gives, whichever filter it starts from', () => {
    const demo = demoPatients(120, 5);
    const ledger = clinicWith(demo);
    const all = firstPatients(ledger.db, 1000);
    const sortKey = (r: PatientRow) => `${nameTokens(`${r.familyName ?? ''} ${r.givenName ?? ''}`).join(' ')}\u0000${r.patientId}`;
    const meets = (r: PatientRow, f: PatientFilter): boolean => {
      const words = nameTokens(`${r.givenName ?? ''} ${r.familyName ?? ''} ${r.preferredName ?? ''}`);
      const digits = (r.phone ?? '').replace(/\D/g, '');
      const dob = r.dateOfBirth ?? '';
      switch (f.kind) {
        case 'nameWord':
          return words.some((w) => (f.exact ? w === f.word : w.startsWith(f.word)));
        case 'born':
          return dob === f.date;
        case 'bornBetween':
          return dob >= f.from && dob < f.to;
        case 'bornOnDay':
          return dob.slice(5) === f.monthDay;
        case 'phone':
          return digits !== '' && (digits.startsWith(f.digits) || digits.endsWith(f.digits));
        case 'either':
          return f.of.some((g) => meets(r, g));
      }
    };
    const words = [...new Set(demo.flatMap((p) => nameTokens(`${p.givenName} ${p.familyName} ${p.preferredName ?? ''}`)))];
    const filter: fc.Arbitrary<PatientFilter> = fc.oneof(
      fc.record({ kind: fc.constant('nameWord' as const), word: fc.constantFrom(...words), exact: fc.boolean() }),
      fc.record({
        kind: fc.constant('nameWord' as const),
        word: fc.constantFrom(...words).map((w) => w.slice(0, 1 + (w.length % 3))),
        exact: fc.constant(false),
      }),
      fc.constantFrom(...demo).map((p): PatientFilter => ({ kind: 'born', date: p.dateOfBirth })),
      fc.integer({ min: 1940, max: 2005 }).map((y): PatientFilter => ({ kind: 'bornBetween', from: `${String(y)}-`, to: `${String(y + 1)}-` })),
      fc.constantFrom(...demo).map((p): PatientFilter => ({ kind: 'bornOnDay', monthDay: p.dateOfBirth.slice(5) })),
      fc.constantFrom(...demo).map((p): PatientFilter => {
        const digits = (p.phone ?? '').replace(/\D/g, '');
        return { kind: 'phone', digits: digits.length % 2 === 0 ? digits.slice(0, 3 + (digits.length % 4)) : digits.slice(-4) };
      }),
      fc.integer({ min: 1940, max: 2005 }).map((y): PatientFilter => ({
        kind: 'either',
        of: [
          { kind: 'bornBetween', from: `${String(y)}-`, to: `${String(y + 1)}-` },
          { kind: 'phone', digits: String(y) },
        ],
      })),
    );
    fc.assert(
      fc.property(fc.array(filter, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 60 }), (filters, limit) => {
        const expected = all
          .filter((r) => filters.every((f) => meets(r, f)))
          .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
          .slice(0, limit)
          .map((r) => r.patientId);
        // broad 1: every filter is broad (an ordered filter's arms, or the name index); 1e9: the narrowest filter's arms.
        // maxWords 0: a name start is one index range (unordered), not each word it starts.
        // fold false: a date of birth is checked on its own, not folded into a name word's range.
        for (const broad of [1, 20, 1e9])
          for (const maxWords of [0, 16])
            for (const fold of [true, false]) expect(searchPatientIds(ledger.db, filters, limit, { broad, maxWords, fold })).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
