import { afterEach, describe, expect, it } from 'vitest';
import { setClinicLocale } from '../../format.js';
import { categoriesInWords, sharedLine, untilInWords } from './words.js';

afterEach(() => setClinicLocale('en-GB'));

describe('consent in words', () => {
  it('names the parts of a record in the canonical order', () => {
    expect(categoriesInWords(['clinical', 'profile'])).toBe('details, clinical notes');
    expect(categoriesInWords(['access', 'schedule'])).toBe('visits, who opened the record');
  });

  it('writes the last day a grant covers in the clinic date format', () => {
    setClinicLocale('en-GB');
    // The grant form stores the midnight after the last day typed.
    const until = new Date(2027, 5, 1).getTime();
    expect(untilInWords(until)).toBe('until 31 May 2027');
    setClinicLocale('en-US');
    expect(untilInWords(until)).toBe('until May 31, 2027');
    expect(untilInWords(null)).toBe('until withdrawn');
  });

  it('says who shares a patient, until when and what', () => {
    setClinicLocale('en-GB');
    expect(sharedLine({ homeClinicName: 'Harbour Rehab', categories: ['profile', 'clinical'], until: new Date(2027, 5, 1).getTime() })).toBe(
      'Shared by Harbour Rehab · until 31 May 2027 · details, clinical notes',
    );
    expect(sharedLine({ homeClinicName: null, categories: ['profile'], until: null })).toBe('Shared by another clinic · until withdrawn · details');
  });
});
