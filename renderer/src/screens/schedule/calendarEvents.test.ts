import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../../shared/api/index.js';
import { collapseDenseDays, compactLine, eventTooltip, LISTED_PER_HOUR, peakOverlap, visitEvents, WEEK_OVERLAP } from './calendarEvents.js';
import { formatDateOfBirth } from './patientIdentity.js';

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

describe('the whole clinic’s week', () => {
  const at = (day: number, hour: number, minute = 0) => monday + ((day * 24 + hour) * 60 + minute) * MINUTE;

  it('keeps a day without overlapping visits as visits, and draws a day with any as hour blocks that name each visit', () => {
    const quiet = [appointment(1, at(0, 9)), appointment(2, at(0, 10))];
    const olivia = appointment(3, at(1, 9), 45, { patientName: 'Tanaka, Olivia', therapistName: 'Priya Raman', patientNamesakes: 2 });
    const nora = appointment(4, at(1, 9, 30), 45, { patientName: 'Tanaka, Nora', therapistName: 'Hannah Lindqvist' });
    const shown = collapseDenseDays(visitEvents([...quiet, olivia, nora], 'none'), WEEK_OVERLAP);
    expect(shown.filter((e) => e.kind === 'visit').map((e) => e.id)).toEqual(['a1', 'a2']);
    const blocks = shown.flatMap((e) => (e.kind === 'count' ? [e] : []));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.visits).toBeLessThanOrEqual(LISTED_PER_HOUR);
    expect(blocks[0]!.appointments.map(compactLine)).toEqual(['09:00 Tanaka, O. · Priya', '09:30 Tanaka, N. · Hannah']);
  });

  it('gives every visit a tooltip with the date of birth and the shared-name warning, and an hour its visits', () => {
    const olivia = appointment(3, at(1, 9), 45, {
      patientName: 'Tanaka, Olivia',
      patientDateOfBirth: '1986-05-28',
      patientNamesakes: 2,
      therapistName: 'Priya Raman',
      roomName: 'Table 2',
    });
    const [visit] = visitEvents([olivia], 'none');
    expect(eventTooltip(visit!)).toBe(
      `Tanaka, Olivia, born ${formatDateOfBirth('1986-05-28')} (2 other patients share this name — check the date of birth) · Follow-up with Priya Raman, Table 2 · 09:00–09:45`,
    );
    const many = Array.from({ length: 14 }, (_, i) => appointment(10 + i, at(2, 11), 30));
    const [hour] = collapseDenseDays(visitEvents(many, 'none'), WEEK_OVERLAP);
    const lines = eventTooltip(hour!).split('\n');
    expect(lines[0]).toBe('14 visits — open the day by therapist');
    expect(lines).toHaveLength(1 + 12 + 1);
    expect(lines.at(-1)).toBe('and 2 more');
  });
});
