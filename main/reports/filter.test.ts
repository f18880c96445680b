import { describe, expect, it } from 'vitest';
import { auditInstantRange, isAuditEntry, matchesAuditFilter, parseAuditFilter } from './filter.js';

const P = '1'.repeat(32);
const S = 'b'.repeat(32);
const C = 'c'.repeat(64);

describe('parseAuditFilter', () => {
  it('returns the fields given, and only those', () => {
    expect(parseAuditFilter({ from: '2026-03-01', to: '2026-03-31', staffId: S, patientId: undefined })).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      staffId: S,
    });
  });

  it.each<[unknown, string]>([
    [{ from: '2026-03-31', to: '2026-03-01' }, 'Invalid audit filter (to): the first day comes after the last.'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'Invalid audit filter (from): must be a day as YYYY-MM-DD.'],
    [{ from: '1.3.2026', to: '2026-03-01' }, 'Invalid audit filter (from): must be a day as YYYY-MM-DD.'],
    [{ from: '2016-03-01', to: '2026-03-31' }, 'Invalid audit filter (to): a report covers at most 3660 days.'],
    [{ from: '2026-03-01', to: '2026-03-31', staffId: 'Ada' }, 'Invalid audit filter (staffId): must be a staff id (32 lowercase hex digits).'],
    [{ from: '2026-03-01', to: '2026-03-31', action: 'READ' }, 'Invalid audit filter (action): must be an entry kind such as access.read.'],
    [{ from: '2026-03-01', to: '2026-03-31', clinicId: 'x' }, 'Invalid audit filter (clinicId): must be a clinic id (64 lowercase hex digits).'],
  ])('refuses %j in words', (input, message) => {
    expect(() => parseAuditFilter(input)).toThrow(message);
  });

  it('takes any number of days when asked (a verifier checks the filter a bundle states)', () => {
    expect(parseAuditFilter({ from: '2000-01-01', to: '2026-03-31' }, { anyLength: true })).toEqual({ from: '2000-01-01', to: '2026-03-31' });
    expect(() => parseAuditFilter({ from: '2026-03-02', to: '2026-03-01' }, { anyLength: true })).toThrow(/comes after/);
  });

  it('refuses members it does not know and a missing day', () => {
    expect(() => parseAuditFilter({ from: '2026-03-01', to: '2026-03-31', patient: P })).toThrow(/^Invalid audit filter/);
    expect(() => parseAuditFilter({ from: '2026-03-01' })).toThrow(/^Invalid audit filter \(to\)/);
  });
});

describe('auditInstantRange', () => {
  it("covers the clinic's days as its clocks show them, a day of a clock change included", () => {
    expect(auditInstantRange({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin')).toEqual({
      from: Date.UTC(2026, 2, 28, 23),
      until: Date.UTC(2026, 2, 29, 22), // 23 hours: the clocks went forward
    });
    expect(auditInstantRange({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin')).toEqual({
      from: Date.UTC(2026, 9, 24, 22),
      until: Date.UTC(2026, 9, 25, 23), // 25 hours
    });
    expect(auditInstantRange({ from: '2026-12-31', to: '2026-12-31' }, 'UTC')).toEqual({ from: Date.UTC(2026, 11, 31), until: Date.UTC(2027, 0, 1) });
  });
});

describe('matchesAuditFilter', () => {
  const range = { from: 1000, until: 2000 };
  const base = { stream: `p:${P}/access`, kind: 'access.read', at: 1500, by: S, body: { sealed: 'A256GCM' } };
  const anyClinic = () => true;

  it('takes patient streams, access.*, staff and device events; never a passphrase verifier or settings', () => {
    expect(isAuditEntry(`p:${P}/clinical`, 'note.signed')).toBe(true);
    expect(isAuditEntry(`c:${C}/private`, 'access.listed')).toBe(true);
    expect(isAuditEntry(`c:${C}/public`, 'device.revoked')).toBe(true);
    expect(isAuditEntry(`c:${C}/private`, 'staff.passphrase.set')).toBe(false);
    expect(isAuditEntry(`c:${C}/public`, 'clinic.hours.set')).toBe(false);
    expect(isAuditEntry(`c:${C}/public`, 'checkpoint.signed')).toBe(false);
  });

  it('keeps from and excludes until', () => {
    expect(matchesAuditFilter({ ...base, at: 1000 }, { from: 'x', to: 'x' }, range, anyClinic)).toBe(true);
    expect(matchesAuditFilter({ ...base, at: 2000 }, { from: 'x', to: 'x' }, range, anyClinic)).toBe(false);
  });

  it("matches a patient by their streams or a list that named them, a staff member by by, a clinic by the author's", () => {
    const f = { from: 'x', to: 'x' };
    const listed = { ...base, stream: `c:${C}/private`, kind: 'access.listed', body: { patients: ['9'.repeat(32), P] } };
    expect(matchesAuditFilter(base, { ...f, patientId: P }, range, anyClinic)).toBe(true);
    expect(matchesAuditFilter(listed, { ...f, patientId: P }, range, anyClinic)).toBe(true);
    expect(matchesAuditFilter(listed, { ...f, patientId: '2'.repeat(32) }, range, anyClinic)).toBe(false);
    expect(matchesAuditFilter({ ...base, stream: `p:${'2'.repeat(32)}/access` }, { ...f, patientId: P }, range, anyClinic)).toBe(false);
    expect(matchesAuditFilter(base, { ...f, staffId: 'a'.repeat(32) }, range, anyClinic)).toBe(false);
    expect(matchesAuditFilter(base, { ...f, action: 'access.read' }, range, anyClinic)).toBe(true);
    expect(matchesAuditFilter(base, { ...f, clinicId: C }, range, (id) => id === C)).toBe(true);
    expect(matchesAuditFilter(base, { ...f, clinicId: C }, range, () => false)).toBe(false);
  });
});
