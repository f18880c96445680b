import { describe, expect, it } from 'vitest';
import { canonicalLocale, clinicDateOrder, dateSeparator, isLocale, usesTwelveHourClock } from './locale.js';

describe('clinic locale', () => {
  it('reads the numeric date order of a locale', () => {
    expect(clinicDateOrder('en-GB')).toBe('dmy');
    expect(clinicDateOrder('en-US')).toBe('mdy');
    expect(clinicDateOrder('de-DE')).toBe('dmy');
    expect(clinicDateOrder('sv-SE')).toBe('ymd');
    expect(clinicDateOrder('ja-JP')).toBe('ymd');
  });

  it('falls back to day-month-year for a tag that is not a locale', () => {
    expect(clinicDateOrder('not a locale!')).toBe('dmy');
  });

  it('knows the date separator and the clock', () => {
    expect(dateSeparator('en-GB')).toBe('/');
    expect(dateSeparator('de-DE')).toBe('.');
    expect(usesTwelveHourClock('en-US')).toBe(true);
    expect(usesTwelveHourClock('en-GB')).toBe(false);
  });

  it('accepts well-formed tags in canonical form and refuses the rest', () => {
    expect(canonicalLocale('en-gb')).toBe('en-GB');
    expect(canonicalLocale('12')).toBeNull();
    expect(isLocale('en-US')).toBe(true);
    expect(isLocale('')).toBe(false);
  });
});
