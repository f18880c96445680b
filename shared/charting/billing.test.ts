import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billUnits, CPT_CODES, cptCode, unitsForMinutes, type Intervention } from './billing.js';

const units = (lines: readonly Intervention[], rule: 'cms8' | 'eights' = 'cms8') =>
  billUnits(lines, rule).lines.map((l) => [l.code, l.units] as const);

describe('CPT_CODES', () => {
  it('lists each code once, timed and untimed as CPT describes them', () => {
    const codes = CPT_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CPT_CODES) expect(c.code).toMatch(/^[0-9A-Z]{5}$/);
    const timed = CPT_CODES.filter((c) => c.timed).map((c) => c.code);
    expect(timed.sort()).toEqual(
      [
        '97110',
        '97112',
        '97116',
        '97140',
        '97530',
        '97535',
        '97032',
        '97033',
        '97035',
        '97750',
        '97760',
        '97761',
        '97542',
        '97113',
        '97124',
        '97537',
      ].sort(),
    );
    expect(cptCode('97161')?.timed).toBe(false);
    expect(cptCode('G0283')?.timed).toBe(false);
    expect(cptCode('99999')).toBeUndefined();
  });
});

describe('unitsForMinutes', () => {
  it('follows the CMS table: <8 none, 8–22 one, 23–37 two, 38–52 three, …, 113–127 eight', () => {
    expect([0, 7, 8, 22, 23, 37, 38, 52, 53, 67, 68, 82, 83, 97, 98, 112, 113, 127].map(unitsForMinutes)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
    ]);
  });
});

describe('billUnits cms8 — the worked examples of Medicare Claims Processing Manual Ch. 5 §20.2', () => {
  it('24 min 97112 + 23 min 97110 = 47 min → 3 units: 2 × 97112, 1 × 97110', () => {
    const b = billUnits(
      [
        { code: '97112', minutes: 24 },
        { code: '97110', minutes: 23 },
      ],
      'cms8',
    );
    expect(b.totalTimedMinutes).toBe(47);
    expect(b.totalUnits).toBe(3);
    expect(b.lines.map((l) => l.units)).toEqual([2, 1]);
  });
  it('20 min 97112 + 20 min 97110 = 40 min → 3 units; equal times, the first listed gets 2', () => {
    expect(
      units([
        { code: '97112', minutes: 20 },
        { code: '97110', minutes: 20 },
      ]),
    ).toEqual([
      ['97112', 2],
      ['97110', 1],
    ]);
  });
  it('33 min 97110 + 7 min 97140 = 40 min → 3 units: 2 × 97110, 1 × 97140', () => {
    expect(
      units([
        { code: '97110', minutes: 33 },
        { code: '97140', minutes: 7 },
      ]),
    ).toEqual([
      ['97110', 2],
      ['97140', 1],
    ]);
  });
  it('18 min 97110 + 13 min 97140 + 10 min 97116 + 8 min 97035 = 49 min → 3 units, none for ultrasound', () => {
    const b = billUnits(
      [
        { code: '97110', minutes: 18 },
        { code: '97140', minutes: 13 },
        { code: '97116', minutes: 10 },
        { code: '97035', minutes: 8 },
      ],
      'cms8',
    );
    expect(b.totalTimedMinutes).toBe(49);
    expect(b.lines.map((l) => l.units)).toEqual([1, 1, 1, 0]);
  });
  it('7 + 7 + 7 min of three codes = 21 min → 1 unit, to the first listed', () => {
    const b = billUnits(
      [
        { code: '97112', minutes: 7 },
        { code: '97110', minutes: 7 },
        { code: '97140', minutes: 7 },
      ],
      'cms8',
    );
    expect(b.totalUnits).toBe(1);
    expect(b.lines.map((l) => l.units)).toEqual([1, 0, 0]);
  });
  it('a single code under 8 minutes bills nothing', () => {
    expect(units([{ code: '97110', minutes: 7 }])).toEqual([['97110', 0]]);
  });
  it('untimed codes are one unit each, with any minutes, and never count as timed minutes', () => {
    const b = billUnits(
      [
        { code: '97161', minutes: 30 },
        { code: '97110', minutes: 8 },
        { code: '97010', minutes: 0 },
      ],
      'cms8',
    );
    expect(b.totalTimedMinutes).toBe(8);
    expect(b.lines.map((l) => l.units)).toEqual([1, 1, 1]);
    expect(b.totalUnits).toBe(3);
  });
  it('adds the minutes of a code listed twice into one line where it first appears', () => {
    const b = billUnits(
      [
        { code: '97110', minutes: 5 },
        { code: '97140', minutes: 10 },
        { code: '97110', minutes: 5 },
      ],
      'cms8',
    );
    expect(b.lines).toEqual([
      { code: '97110', minutes: 10, timed: true, units: 1 },
      { code: '97140', minutes: 10, timed: true, units: 0 },
    ]);
  });
  it('bills nothing for no lines', () => {
    expect(billUnits([], 'cms8')).toEqual({ rule: 'cms8', lines: [], totalTimedMinutes: 0, totalUnits: 0 });
  });
});

describe('billUnits eights', () => {
  it('counts each timed code on its own', () => {
    expect(
      units(
        [
          { code: '97110', minutes: 33 },
          { code: '97140', minutes: 7 },
          { code: '97112', minutes: 8 },
          { code: '97162', minutes: 45 },
        ],
        'eights',
      ),
    ).toEqual([
      ['97110', 2],
      ['97140', 0],
      ['97112', 1],
      ['97162', 1],
    ]);
  });
  it('7 + 7 + 7 min bills nothing (unlike cms8)', () => {
    const lines = ['97112', '97110', '97140'].map((code) => ({ code, minutes: 7 }));
    expect(billUnits(lines, 'eights').totalUnits).toBe(0);
  });
});

describe('billUnits refuses bad lines', () => {
  it('refuses an unknown code with a clear error', () => {
    expect(() => billUnits([{ code: '12345', minutes: 10 }], 'cms8')).toThrow('12345 is not a CPT code in the billing list.');
  });
  it('refuses minutes that are not whole numbers from 0 to 480', () => {
    expect(() => billUnits([{ code: '97110', minutes: -1 }], 'eights')).toThrow(/minutes are a whole number from 0 to 480/);
    expect(() => billUnits([{ code: '97110', minutes: 7.5 }], 'cms8')).toThrow(/97110 has 7.5 minutes/);
    expect(() => billUnits([{ code: '97110', minutes: 481 }], 'cms8')).toThrow(/from 0 to 480/);
  });
});

describe('billUnits properties', () => {
  const timedCodes = CPT_CODES.filter((c) => c.timed).map((c) => c.code);
  const allCodes = CPT_CODES.map((c) => c.code);
  const distinctLines = (codes: readonly string[]) =>
    fc
      .uniqueArray(fc.constantFrom(...codes), { maxLength: 8 })
      .chain((cs) => fc.tuple(...cs.map((code) => fc.record({ code: fc.constant(code), minutes: fc.integer({ min: 0, max: 120 }) }))));

  it('cms8: the timed units are the units of the total timed minutes', () => {
    fc.assert(
      fc.property(distinctLines(allCodes), (lines) => {
        const b = billUnits(lines, 'cms8');
        const timedUnits = b.lines.filter((l) => l.timed).reduce((s, l) => s + l.units, 0);
        expect(timedUnits).toBe(unitsForMinutes(b.totalTimedMinutes));
        expect(b.totalUnits).toBe(timedUnits + b.lines.filter((l) => !l.timed).length);
      }),
    );
  });
  it('cms8: each code gets its full 15-minute units and at most one more; none without minutes', () => {
    fc.assert(
      fc.property(distinctLines(timedCodes), (lines) => {
        for (const l of billUnits(lines, 'cms8').lines) {
          const full = Math.floor(l.minutes / 15);
          expect(l.units === full || l.units === full + 1).toBe(true);
          if (l.units === full + 1) expect(l.minutes % 15).toBeGreaterThan(0);
        }
      }),
    );
  });
  it('cms8: a unit left goes to a code with at least as many minutes left over as any code passed over', () => {
    fc.assert(
      fc.property(distinctLines(timedCodes), (lines) => {
        const billed = billUnits(lines, 'cms8').lines;
        const extra = billed.filter((l) => l.units > Math.floor(l.minutes / 15)).map((l) => l.minutes % 15);
        const none = billed.filter((l) => l.units === Math.floor(l.minutes / 15)).map((l) => l.minutes % 15);
        if (extra.length > 0 && none.length > 0) expect(Math.min(...extra)).toBeGreaterThanOrEqual(Math.max(...none));
      }),
    );
  });
  it('eights: each line is billed on its own minutes; lines keep their order; rules agree on one code', () => {
    fc.assert(
      fc.property(distinctLines(allCodes), (lines) => {
        const b = billUnits(lines, 'eights');
        expect(b.lines.map((l) => l.code)).toEqual(lines.map((l) => l.code));
        for (const l of b.lines) expect(l.units).toBe(l.timed ? unitsForMinutes(l.minutes) : 1);
        if (lines.length === 1) expect(billUnits(lines, 'cms8').lines).toEqual(b.lines);
      }),
    );
  });
});
