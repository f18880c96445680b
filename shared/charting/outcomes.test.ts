import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, OUTCOME_INSTRUMENTS, scoreOutcome, type OutcomeInstrument } from './outcomes.js';

const filled = (n: number, value: number | null) => Array<number | null>(n).fill(value);
const score = (instrument: OutcomeInstrument, items: readonly (number | null)[]) => {
  const r = scoreOutcome(instrument, items);
  if (!r.ok) throw new Error(r.reason);
  return r.score;
};

describe('INSTRUMENTS', () => {
  it('has the published item counts, ranges and options for every instrument', () => {
    const shape = OUTCOME_INSTRUMENTS.map((id) => {
      const s = INSTRUMENTS[id];
      return [id, s.items.length, s.minResponse, s.maxResponse, s.scoreMin, s.scoreMax, s.unit, s.maxMissing];
    });
    expect(shape).toEqual([
      ['lefs', 20, 0, 4, 0, 80, 'points', 0],
      ['odi', 10, 0, 5, 0, 100, '%', 2],
      ['ndi', 10, 0, 5, 0, 100, '%', 2],
      ['quickdash', 11, 1, 5, 0, 100, '%', 1],
    ]);
    for (const id of OUTCOME_INSTRUMENTS) {
      const s = INSTRUMENTS[id];
      expect(s.id).toBe(id);
      for (const item of s.items) expect(item.options).toHaveLength(s.maxResponse - s.minResponse + 1);
      expect(s.mcid).toBeGreaterThan(0);
      expect(s.mcidSource).not.toBe('');
      expect(s.scoringSource).not.toBe('');
    }
    expect(INSTRUMENTS.lefs.higherIsBetter).toBe(true);
    expect(INSTRUMENTS.odi.items[0]?.label).toBe('Pain intensity');
  });
});

describe('LEFS (Binkley 1999)', () => {
  it('is the sum of the 20 items, 0 to 80', () => {
    expect(score('lefs', filled(20, 0))).toBe(0);
    expect(score('lefs', filled(20, 4))).toBe(80);
    expect(score('lefs', [4, 3, 2, 1, 0, 4, 3, 2, 1, 0, 4, 3, 2, 1, 0, 4, 3, 2, 1, 0])).toBe(40);
    expect(scoreOutcome('lefs', filled(20, 3))).toEqual({ ok: true, score: 60, answered: 20 });
  });
  it('is not scored with a blank item', () => {
    const items = filled(20, 3);
    items[19] = null;
    expect(scoreOutcome('lefs', items)).toEqual({
      ok: false,
      reason: '1 of 20 items are blank; the LEFS is scored only when every item is answered.',
    });
  });
  it('refuses an answer out of range, naming the item', () => {
    const items = filled(20, 2);
    items[2] = 7;
    expect(scoreOutcome('lefs', items)).toEqual({ ok: false, reason: 'item 3 is 7; answers are whole numbers 0 to 4.' });
  });
});

describe('ODI (Fairbank & Pynsent 2000)', () => {
  it('scores 16 of 50 as 32%', () => {
    expect(score('odi', [2, 2, 2, 2, 2, 2, 1, 1, 1, 1])).toBe(32);
  });
  it('scores 16 with one section blank against 45: 35.6% (the paper prints 35.5, truncated)', () => {
    expect(scoreOutcome('odi', [2, 2, 2, 2, 2, 2, 2, 2, null, 0])).toEqual({ ok: true, score: 35.6, answered: 9 });
  });
  it('accepts two blank sections and refuses three', () => {
    expect(scoreOutcome('odi', [5, 5, 5, 5, 5, 5, 5, 5, null, null])).toEqual({ ok: true, score: 100, answered: 8 });
    expect(score('odi', [1, 0, 0, 0, 0, 0, 0, 0, null, null])).toBe(2.5);
    expect(scoreOutcome('odi', [1, 1, 1, 1, 1, 1, 1, null, null, null])).toEqual({
      ok: false,
      reason: '3 of 10 items are blank; the ODI can be scored with at most 2 blank.',
    });
  });
  it('is 0% all minimum and 100% all maximum', () => {
    expect(score('odi', filled(10, 0))).toBe(0);
    expect(score('odi', filled(10, 5))).toBe(100);
  });
  it('refuses 6, negatives and fractions', () => {
    expect(scoreOutcome('odi', [6, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual({ ok: false, reason: 'item 1 is 6; answers are whole numbers 0 to 5.' });
    expect(scoreOutcome('odi', [0, -1, 0, 0, 0, 0, 0, 0, 0, 0])).toMatchObject({
      ok: false,
      reason: 'item 2 is -1; answers are whole numbers 0 to 5.',
    });
    expect(scoreOutcome('odi', [0, 0, 1.5, 0, 0, 0, 0, 0, 0, 0])).toMatchObject({ ok: false });
  });
  it('refuses the wrong number of items', () => {
    expect(scoreOutcome('odi', filled(9, 1))).toEqual({ ok: false, reason: 'the ODI has 10 items, not 9.' });
  });
});

describe('NDI (Vernon & Mior 1991)', () => {
  it('is the raw 0–50 score doubled, and prorated like the ODI with up to 2 blank', () => {
    expect(score('ndi', [3, 2, 2, 1, 2, 1, 2, 1, 1, 0])).toBe(30);
    expect(score('ndi', filled(10, 0))).toBe(0);
    expect(score('ndi', filled(10, 5))).toBe(100);
    // 10 over 8 answered items: 10 / 40 × 100 = 25
    expect(scoreOutcome('ndi', [2, 2, 2, 2, 1, 1, 0, 0, null, null])).toEqual({ ok: true, score: 25, answered: 8 });
    // 7 / 45 × 100 = 15.555… → 15.6
    expect(score('ndi', [1, 1, 1, 1, 1, 1, 1, null, 0, 0])).toBe(15.6);
    expect(scoreOutcome('ndi', [null, null, null, 1, 1, 1, 1, 1, 1, 1])).toMatchObject({
      ok: false,
      reason: '3 of 10 items are blank; the NDI can be scored with at most 2 blank.',
    });
  });
});

describe('QuickDASH (Beaton 2005, Institute for Work & Health)', () => {
  it('is ((sum / n) − 1) × 25: 0 all “no difficulty”, 100 all “unable”', () => {
    expect(score('quickdash', filled(11, 1))).toBe(0);
    expect(score('quickdash', filled(11, 5))).toBe(100);
    expect(score('quickdash', filled(11, 3))).toBe(50);
    // sum 23 over 11: (23/11 − 1) × 25 = 27.2727… → 27.3
    expect(score('quickdash', [3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 1])).toBe(27.3);
  });
  it('accepts one blank item (n = 10) and refuses two', () => {
    // sum 25 over 10: (2.5 − 1) × 25 = 37.5
    expect(scoreOutcome('quickdash', [3, 3, 3, 3, 3, 2, 2, 2, 2, 2, null])).toEqual({ ok: true, score: 37.5, answered: 10 });
    expect(scoreOutcome('quickdash', [3, 3, 3, 3, 3, 2, 2, 2, 2, null, null])).toEqual({
      ok: false,
      reason: '2 of 11 items are blank; the QuickDASH can be scored with at most 1 blank.',
    });
  });
  it('refuses 0 (answers start at 1)', () => {
    expect(scoreOutcome('quickdash', [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1])).toEqual({
      ok: false,
      reason: 'item 4 is 0; answers are whole numbers 1 to 5.',
    });
  });
});

describe('scoreOutcome properties', () => {
  const answers = (id: OutcomeInstrument) => {
    const s = INSTRUMENTS[id];
    return fc.array(fc.option(fc.integer({ min: s.minResponse, max: s.maxResponse }), { nil: null, freq: 4 }), {
      minLength: s.items.length,
      maxLength: s.items.length,
    });
  };
  for (const id of OUTCOME_INSTRUMENTS) {
    const s = INSTRUMENTS[id];
    it(`${id}: scored exactly when few enough items are blank, always within ${String(s.scoreMin)}–${String(s.scoreMax)}, to one decimal`, () => {
      fc.assert(
        fc.property(answers(id), (items) => {
          const r = scoreOutcome(id, items);
          const blank = items.filter((v) => v === null).length;
          expect(r.ok).toBe(blank <= s.maxMissing);
          if (r.ok) {
            expect(r.answered).toBe(items.length - blank);
            expect(r.score).toBeGreaterThanOrEqual(s.scoreMin);
            expect(r.score).toBeLessThanOrEqual(s.scoreMax);
            expect(Math.round(r.score * 10) / 10).toBe(r.score);
          }
        }),
      );
    });
    it(`${id}: a higher answer never lowers the score`, () => {
      fc.assert(
        fc.property(answers(id), fc.nat(), (items, pick) => {
          const i = pick % items.length;
          const v = items[i];
          if (v === null || v === undefined || v === s.maxResponse) return;
          const before = scoreOutcome(id, items);
          const after = scoreOutcome(
            id,
            items.map((x, j) => (j === i ? v + 1 : x)),
          );
          if (before.ok && after.ok) expect(after.score).toBeGreaterThanOrEqual(before.score);
        }),
      );
    });
  }
});
