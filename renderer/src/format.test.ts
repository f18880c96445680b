import { afterEach, describe, expect, it } from 'vitest';
import {
  calendarFormats,
  count,
  dayAndTime,
  formatDateInput,
  formatDateTimeInput,
  formatIsoDate,
  isoFromDateInput,
  formatTimeOfDay,
  minutes,
  parseDateInput,
  parseDateTimeInput,
  parseTimeOfDay,
  setClinicLocale,
  timeOnly,
  visitWhen,
  when,
} from './format.js';

afterEach(() => setClinicLocale('en-GB'));

const at = new Date(2026, 10, 30, 14, 2);

describe('the clinic locale in every format', () => {
  it('writes 24-hour times and day-first dates in en-GB', () => {
    setClinicLocale('en-GB');
    expect(timeOnly.format(at)).toBe('14:02');
    expect(when.format(at)).toBe('30 Nov 2026, 14:02');
    expect(formatDateTimeInput(at)).toBe('30/11/2026 14:02');
    expect(calendarFormats('en-GB').timeGutterFormat(at)).toBe('14:02');
    expect(visitWhen.format(new Date(2026, 11, 1, 9, 0))).toBe('Tuesday 1 December at 09:00');
    expect(dayAndTime.format(at)).toBe('30 Nov, 14:02');
  });

  it('writes 12-hour times and month-first dates in en-US, the calendar included', () => {
    setClinicLocale('en-US');
    expect(timeOnly.format(at)).toBe('2:02 PM');
    expect(when.format(at)).toBe('Nov 30, 2026, 2:02 PM');
    expect(formatDateTimeInput(at)).toBe('11/30/2026 2:02 PM');
    expect(calendarFormats('en-US').timeGutterFormat(at)).toBe('2:02 PM');
    expect(visitWhen.format(new Date(2026, 11, 1, 9, 0))).toBe('Tuesday, December 1 at 9:00 AM');
    expect(dayAndTime.format(at)).toBe('Nov 30, 2:02 PM');
  });

  it('reads typed dates in the clinic order, and ISO dates everywhere', () => {
    setClinicLocale('en-GB');
    expect(parseDateInput('05/06/1986')).toEqual(new Date(1986, 5, 5));
    expect(parseDateInput('5.6.1986')).toEqual(new Date(1986, 5, 5));
    expect(parseDateInput('1986-06-05')).toEqual(new Date(1986, 5, 5));
    setClinicLocale('en-US');
    expect(parseDateInput('05/06/1986')).toEqual(new Date(1986, 4, 6));
    expect(formatDateInput(new Date(1986, 4, 6))).toBe('05/06/1986');
  });

  it('writes and reads stored dates (dates of birth) in the clinic order', () => {
    setClinicLocale('en-US');
    expect(formatIsoDate('1986-05-28')).toBe('05/28/1986');
    expect(isoFromDateInput('05/28/1986')).toBe('1986-05-28');
    setClinicLocale('en-GB');
    expect(formatIsoDate('1986-05-28')).toBe('28/05/1986');
    expect(isoFromDateInput('28.5.1986')).toBe('1986-05-28');
    expect(isoFromDateInput('1986-05-28')).toBe('1986-05-28');
    expect(isoFromDateInput('31/02/1986')).toBe('31/02/1986');
    expect(formatIsoDate(null)).toBe('—');
  });

  it('refuses dates that do not exist and two-digit years', () => {
    setClinicLocale('en-GB');
    expect(parseDateInput('31/02/2026')).toBeNull();
    expect(parseDateInput('30/11/26')).toBeNull();
    expect(parseDateInput('tomorrow')).toBeNull();
  });

  it('reads typed times on either clock', () => {
    setClinicLocale('en-US');
    expect(parseDateTimeInput('11/30/2026 2:02 PM')).toEqual(at);
    expect(parseDateTimeInput('11/30/2026 2:02pm')).toEqual(at);
    expect(parseDateTimeInput('11/30/2026 14:02')).toEqual(at);
    setClinicLocale('en-GB');
    expect(parseDateTimeInput('30/11/2026 14:02')).toEqual(at);
    expect(parseDateTimeInput('30/11/2026 25:00')).toBeNull();
    expect(parseDateTimeInput('30/11/2026')).toBeNull();
    expect(parseDateTimeInput('2026-11-30T14:02')).toEqual(at);
  });

  it('reads and writes times of day for weekly hours', () => {
    setClinicLocale('en-US');
    expect(formatTimeOfDay('08:30')).toBe('8:30 AM');
    expect(parseTimeOfDay('8:30 PM')).toBe('20:30');
    expect(parseTimeOfDay('08:30')).toBe('08:30');
    expect(parseTimeOfDay('half past')).toBeNull();
  });

  it('counts in words with the right plural', () => {
    expect(minutes(1)).toBe('1 minute');
    expect(minutes(5)).toBe('5 minutes');
    expect(count(0, 'device', 'devices')).toBe('0 devices');
  });
});
