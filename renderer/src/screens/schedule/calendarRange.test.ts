import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarBounds, DEFAULT_HOURS, hoursLabel, undrawn, visibleHours } from './calendarRange.js';

const MINUTE = 60_000;
const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, 30 + day, hour, minute);
const visit = (start: Date, minutes: number, resourceId = 't1') => ({ start, end: new Date(start.getTime() + minutes * MINUTE), resourceId });

describe('visibleHours', () => {
  it('draws the usual day when every visit is inside it', () => {
    expect(visibleHours([])).toEqual(DEFAULT_HOURS);
    expect(hoursLabel(visibleHours([visit(at(0, 9), 45), visit(at(2, 18), 60)]))).toBe('07:00–19:00');
  });

  it('widens to a visit on Saturday at 21:30 and to one starting at 06:15, in whole hours', () => {
    expect(hoursLabel(visibleHours([visit(at(5, 21, 30), 45)]))).toBe('07:00–23:00');
    expect(hoursLabel(visibleHours([visit(at(1, 6, 15), 30), visit(at(5, 21, 30), 30)]))).toBe('06:00–22:00');
  });

  it('draws the whole day for a visit across midnight, and only to midnight for one that ends at midnight', () => {
    expect(visibleHours([visit(at(5, 23, 30), 60)])).toEqual({ start: 0, end: 24 * 60 });
    expect(visibleHours([visit(at(5, 23), 60)])).toEqual({ start: 7 * 60, end: 24 * 60 });
  });

  it('starts from the opening hours when the clinic has them', () => {
    const opening = [
      { start: 8 * 60, end: 17 * 60 + 30 },
      { start: 9 * 60, end: 13 * 60 },
    ];
    expect(hoursLabel(visibleHours([], opening))).toBe('08:00–18:00');
    expect(hoursLabel(visibleHours([visit(at(0, 7, 30), 30)], opening))).toBe('07:00–18:00');
  });

  it('leaves no visit outside the hours it draws', () => {
    const visits = fc.array(
      fc.record({ day: fc.integer({ min: 0, max: 6 }), minute: fc.integer({ min: 0, max: 24 * 60 - 5 }), length: fc.integer({ min: 5, max: 480 }) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(visits, (xs) => {
        const events = xs.map((x) => visit(new Date(at(x.day, 0).getTime() + x.minute * MINUTE), x.length));
        const hours = visibleHours(events);
        expect(undrawn(events, hours, null)).toEqual([]);
        expect(hours.start % 60).toBe(0);
        expect(hours.end % 60).toBe(0);
        expect(hours.start).toBeLessThanOrEqual(DEFAULT_HOURS.start);
        expect(hours.end).toBeGreaterThanOrEqual(DEFAULT_HOURS.end);
      }),
    );
  });
});

describe('undrawn', () => {
  it('finds the visits outside the drawn hours or in a column that is not shown', () => {
    const late = visit(at(5, 21, 30), 45);
    const early = visit(at(1, 6, 45), 30);
    const inside = visit(at(0, 9), 45);
    const noRoom = visit(at(0, 10), 45, '');
    expect(undrawn([late, early, inside], DEFAULT_HOURS, null)).toEqual([late, early]);
    expect(undrawn([inside, noRoom], DEFAULT_HOURS, ['t1'])).toEqual([noRoom]);
    expect(undrawn([inside, noRoom], DEFAULT_HOURS, ['t1', ''])).toEqual([]);
  });
});

describe('calendarBounds', () => {
  it('gives react-big-calendar times of day, the end of the day as its last second', () => {
    const { min, max } = calendarBounds({ start: 6 * 60, end: 22 * 60 });
    expect([min.getHours(), min.getMinutes(), max.getHours(), max.getMinutes()]).toEqual([6, 0, 22, 0]);
    const whole = calendarBounds({ start: 0, end: 24 * 60 });
    expect([whole.min.getHours(), whole.max.getHours(), whole.max.getMinutes(), whole.max.getSeconds()]).toEqual([0, 23, 59, 59]);
  });
});
