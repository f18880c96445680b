import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../../shared/api/index.js';
import { collapseDenseDays, peakOverlap, visitEvents } from './calendarEvents.js';

const MINUTE = 60_000;
const monday = new Date(2026, 10, 23, 0, 0).getTime();

function appointment(i: number, start: number, minutes = 30, extra: Partial<Appointment> = {}): Appointment {
  return {
    appointmentId: `a${i}`,
    patientId: `p${i}`,
    patientName: `Patient ${i}`,
    patientDateOfBirth: '1980-01-01',
    patientNamesakes: 0,
    therapistId: `t${i % 40}`,
    therapistName: `Therapist ${i % 40}`,
    roomId: null,
    roomName: null,
    typeId: 'follow-up',
    typeName: 'Follow-up',
    start,
    end: start + minutes * MINUTE,
    seriesId: null,
    status: 'booked',
    statusReason: null,
    conflict: false,
    ...extra,
  };
}

describe('peakOverlap', () => {
  it('counts visits at the same moment, and back-to-back visits as not overlapping', () => {
    const at = (h: number, m: number) => new Date(monday + (h * 60 + m) * MINUTE);
    expect(peakOverlap([])).toBe(0);
    expect(
      peakOverlap([
        { start: at(9, 0), end: at(9, 30) },
        { start: at(9, 30), end: at(10, 0) },
      ]),
    ).toBe(1);
    expect(
      peakOverlap([
        { start: at(9, 0), end: at(10, 0) },
        { start: at(9, 30), end: at(10, 30) },
        { start: at(9, 45), end: at(9, 50) },
      ]),
    ).toBe(3);
  });

  it('agrees with counting at every start', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 120 }))
      .map(([s, d]) => ({ start: new Date(monday + s * MINUTE), end: new Date(monday + (s + d) * MINUTE) }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 60 }), (xs) => {
        const naive = Math.max(0, ...xs.map((x) => xs.filter((y) => y.start <= x.start && x.start < y.end).length));
        expect(peakOverlap(xs)).toBe(naive);
      }),
    );
  });
});

describe('collapseDenseDays', () => {
  it('keeps a readable day as visits and turns a busy day into counts per hour that add up', () => {
    const quiet = [0, 1, 2].map((i) => appointment(i, monday + 9 * 60 * MINUTE + i * 30 * MINUTE));
    const tuesday = monday + 24 * 60 * MINUTE;
    const busy = Array.from({ length: 40 }, (_, i) =>
      appointment(100 + i, tuesday + (8 * 60 + (i % 4) * 30) * MINUTE, 30, i === 0 ? { status: 'no_show' } : i === 1 ? { conflict: true } : {}),
    );
    const shown = collapseDenseDays(visitEvents([...quiet, ...busy], 'none'));
    expect(shown.filter((e) => e.kind === 'visit').map((e) => e.id)).toEqual(['a0', 'a1', 'a2']);
    const counts = shown.flatMap((e) => (e.kind === 'count' ? [e] : []));
    expect(counts.map((c) => [c.start.getHours(), c.visits])).toEqual([
      [8, 20],
      [9, 20],
    ]);
    expect(counts[0]!.title).toBe('20 visits (1 no-show, 1 double-booked)');
    expect(counts[0]!.conflicts).toBe(1);
  });

  it('represents every drawn visit exactly once', () => {
    const appointments = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 6 }),
        minute: fc.integer({ min: 7 * 60, max: 19 * 60 }),
        length: fc.constantFrom(15, 30, 45, 60),
        cancelled: fc.boolean(),
      }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(appointments, fc.integer({ min: 1, max: 8 }), (xs, limit) => {
        const list = xs.map((x, i) =>
          appointment(i, monday + (x.day * 24 * 60 + x.minute) * MINUTE, x.length, x.cancelled ? { status: 'cancelled' } : {}),
        );
        const shown = collapseDenseDays(visitEvents(list, 'none'), limit);
        const represented = shown.reduce((n, e) => n + (e.kind === 'count' ? e.visits : 1), 0);
        expect(represented).toBe(xs.filter((x) => !x.cancelled).length);
      }),
    );
  });
});
