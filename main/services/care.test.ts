// The care-relationship rule (docs/architecture.md#break-the-glass) as properties of the pure
// function: what can only widen care, what never counts, and where the window starts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '../../shared/api/index.js';
import { instantAt, wallClock } from '../../shared/time.js';
import { careWindowStart, inCare } from './care.js';
import type { CareVisit, CareWindow } from './care.js';

const DAY = 86_400_000;
const STAFF = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata'];
/** 2020-01-01 to 2035-01-01. */
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });

const visit = (now: number): fc.Arbitrary<CareVisit> =>
  fc.record({
    therapistId: fc.constantFrom(...STAFF),
    start: fc.integer({ min: now - 6 * 365 * DAY, max: now + 2 * 365 * DAY }),
    status: fc.constantFrom(...APPOINTMENT_STATUSES),
  });

/** A care window and some visits around its `now`. */
const scenario = fc
  .record({ now: instant, months: fc.integer({ min: 1, max: 120 }), zone: fc.constantFrom(...ZONES) })
  .chain((window: CareWindow) => fc.record({ window: fc.constant(window), visits: fc.array(visit(window.now), { maxLength: 12 }) }));

const staff = fc.constantFrom(...STAFF);

describe('the care-relationship rule (inCare)', () => {
  it('a booked visit of their own, today or later, puts a clinician in care, and adding one never takes anyone out of care', () => {
    fc.assert(
      fc.property(scenario, staff, staff, fc.integer({ min: 0, max: 730 * DAY }), ({ window, visits }, who, booker, ahead) => {
        const added: CareVisit = { therapistId: booker, start: window.now + ahead, status: 'booked' };
        const before = inCare(who, visits, window);
        const after = inCare(who, [...visits, added], window);
        if (before) expect(after).toBe(true);
        if (booker === who) expect(after).toBe(true);
      }),
    );
  });

  it('is monotonic in the window: in care over N months means in care over any longer window', () => {
    fc.assert(
      fc.property(scenario, staff, fc.integer({ min: 0, max: 60 }), ({ window, visits }, who, more) => {
        if (inCare(who, visits, window)) expect(inCare(who, visits, { ...window, months: window.months + more })).toBe(true);
      }),
    );
  });

  it("another clinician's visits never count, nor cancelled ones, and the order of the visits does not matter", () => {
    fc.assert(
      fc.property(scenario, staff, ({ window, visits }, who) => {
        const own = visits.filter((v) => v.therapistId === who && v.status !== 'cancelled' && v.status !== 'late_cancelled');
        expect(inCare(who, visits, window)).toBe(inCare(who, own, window));
        expect(inCare(who, [...visits].reverse(), window)).toBe(inCare(who, visits, window));
        expect(
          inCare(
            who,
            visits.filter((v) => v.therapistId !== who),
            window,
          ),
        ).toBe(false);
      }),
    );
  });

  it('counts a visit exactly when its clinic-local date is on or after the first day of the window', () => {
    fc.assert(
      fc.property(scenario, staff, fc.constantFrom('booked', 'checked_in', 'completed', 'no_show' as const), ({ window, visits }, who, status) => {
        const start = visits[0]?.start ?? window.now;
        const counted = inCare(who, [{ therapistId: who, start, status }], window);
        expect(counted).toBe(wallClock(start, window.zone).date >= careWindowStart(window));
      }),
    );
  });

  it('over time, a past visit leaves the window only as the calendar moves on: later is never more in care, without new visits', () => {
    fc.assert(
      fc.property(scenario, staff, fc.integer({ min: 0, max: 400 * DAY }), ({ window, visits }, who, later) => {
        if (inCare(who, visits, { ...window, now: window.now + later })) expect(inCare(who, visits, window)).toBe(true);
      }),
    );
  });
});

describe('the first day of the care window (clinic-local calendar months)', () => {
  const at = (date: string, zone: string) => instantAt(date, '12:00', zone);
  it.each([
    ['2026-11-30', 12, 'UTC', '2025-11-30'],
    ['2026-05-31', 3, 'UTC', '2026-02-28'],
    ['2028-05-31', 3, 'UTC', '2028-02-29'],
    ['2026-01-15', 1, 'UTC', '2025-12-15'],
    ['2026-03-31', 1, 'Europe/London', '2026-02-28'],
    ['2026-11-30', 120, 'Pacific/Auckland', '2016-11-30'],
  ])('from %s, %i months back in %s, is %s', (today, months, zone, first) => {
    expect(careWindowStart({ now: at(today, zone), months, zone })).toBe(first);
  });

  it("counts in the clinic's time zone: just after midnight there is already the next day", () => {
    // 2026-11-30 23:30 UTC is 1 December 12:30 in Auckland: a visit on 1 December 2025 there is 12 months back.
    const now = Date.UTC(2026, 10, 30, 23, 30);
    const visitAt = Date.UTC(2025, 10, 30, 23, 30); // 1 December 2025, 12:30 in Auckland; 30 November in UTC
    const v: CareVisit = { therapistId: STAFF[0]!, start: visitAt, status: 'completed' };
    expect(inCare(STAFF[0]!, [v], { now, months: 12, zone: 'Pacific/Auckland' })).toBe(true);
    expect(inCare(STAFF[0]!, [v], { now: now + DAY, months: 12, zone: 'Pacific/Auckland' })).toBe(false);
    expect(inCare(STAFF[0]!, [v], { now, months: 12, zone: 'UTC' })).toBe(true);
  });
});
