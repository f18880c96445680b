import { describe, expect, it } from 'vitest';
import { dateOnly } from '../../format.js';
import { formatDateOfBirth, nameKey, namesakesAmong, namesakeWarning, patientLine } from './patientIdentity.js';

const patient = (patientId: string, familyName: string | null, givenName: string | null) => ({ patientId, familyName, givenName });

describe('namesakesAmong', () => {
  it('counts the other patients with the same family and given name, accents and case ignored', () => {
    const found = namesakesAmong([
      patient('p1', 'Tanaka', 'Olivia'),
      patient('p2', 'Tanaka', 'Olivia'),
      patient('p3', 'TANAKA', 'Olívia'),
      patient('p4', 'Tanaka', 'Nora'),
      patient('p5', 'Olivia', 'Tanaka'),
    ]);
    expect(Object.fromEntries(found)).toEqual({ p1: 2, p2: 2, p3: 2, p4: 0, p5: 0 });
  });

  it('counts a patient listed twice (two visits) once, and never a record that cannot be read', () => {
    const found = namesakesAmong([
      patient('p1', 'Tanaka', 'Olivia'),
      patient('p1', 'Tanaka', 'Olivia'),
      patient('p9', null, null),
      patient('p8', null, null),
    ]);
    expect(Object.fromEntries(found)).toEqual({ p1: 0 });
  });

  it('compares names the way main counts namesakes (sort_name: the tokens of family then given name)', () => {
    expect(nameKey('Núñez-López', 'María José')).toBe('nunez lopez maria jose');
  });
});

describe('namesakeWarning', () => {
  it('says how many others share the name, and nothing when nobody does', () => {
    expect(namesakeWarning(0)).toBeNull();
    expect(namesakeWarning(1)).toBe('1 other patient shares this name — check the date of birth');
    expect(namesakeWarning(2)).toBe('2 other patients share this name — check the date of birth');
  });
});

describe('formatDateOfBirth', () => {
  it('writes the calendar date as every screen writes dates, on that very day in any time zone', () => {
    expect(formatDateOfBirth('1986-05-28')).toBe(dateOnly.format(new Date(1986, 4, 28)));
    expect(formatDateOfBirth('not a date')).toBe('not a date');
  });
});

describe('patientLine', () => {
  it('names the patient with the date of birth and any shared-name warning', () => {
    const born = formatDateOfBirth('1986-05-28');
    expect(patientLine({ patientName: 'Tanaka, Olivia', patientDateOfBirth: '1986-05-28', patientNamesakes: 2 })).toBe(
      `Tanaka, Olivia, born ${born} (2 other patients share this name — check the date of birth)`,
    );
    expect(patientLine({ patientName: 'Tanaka, Nora', patientDateOfBirth: '1986-05-28', patientNamesakes: 0 })).toBe(`Tanaka, Nora, born ${born}`);
    expect(patientLine({ patientName: null, patientDateOfBirth: null, patientNamesakes: 0 })).toBe('Patient (record not readable on this computer)');
  });
});
