import { describe, expect, it } from 'vitest';
import type { StoredMeasure } from '../ledger/kinds/notes.js';
import { measureLine, measureSeries, outcomeChange, scoreText, signedChange } from './measureWords.js';

const odi = (score: number): Extract<StoredMeasure, { kind: 'outcome' }> => ({
  kind: 'outcome',
  date: '2026-11-01',
  instrument: 'odi',
  side: 'none',
  items: [2, 2, 2, 2, 2, 2, 2, 2, 2, null],
  score,
  unit: '%',
});

describe('measures in words', () => {
  it('writes each kind with its unit, a ROM against its normal range, an outcome with its items answered', () => {
    expect(measureLine({ kind: 'pain', date: '2026-11-01', side: 'left', site: 'lateral knee', value: 6, unit: 'NPRS' })).toEqual({
      what: 'Pain (NPRS), lateral knee',
      side: 'Left',
      value: '6/10',
      comment: '',
    });
    const knee = (degrees: number) =>
      measureLine({ kind: 'rom', date: '2026-11-01', joint: 'knee', motion: 'flexion', side: 'right', mode: 'passive', degrees, unit: 'deg' });
    expect(knee(90)).toEqual({ what: 'Knee flexion (PROM)', side: 'Right', value: '90°', comment: 'normal 0–135°; limited (45° short)' });
    expect(knee(135).comment).toBe('normal 0–135°; within normal range');
    expect(
      measureLine({ kind: 'rom', date: '2026-11-01', joint: 'tail', motion: 'wag', side: 'none', mode: 'active', degrees: 10, unit: 'deg' }),
    ).toMatchObject({
      what: 'tail wag (AROM)',
      comment: 'no normal range in the table',
    });
    expect(measureLine({ kind: 'mmt', date: '2026-11-01', muscle: 'shoulder_flexors', side: 'bilateral', grade: '4-', unit: 'grade' })).toEqual({
      what: 'Strength (MMT), Shoulder flexors',
      side: 'Both sides',
      value: '4-/5',
      comment: '',
    });
    expect(measureLine(odi(40))).toMatchObject({ value: '40%', comment: '9 of 10 items answered; lower is better' });
    expect([scoreText(42, 'points'), scoreText(31.82, '%')]).toEqual(['42 points', '31.8%']);
  });

  it('tells series apart by site, side, mode, muscle and instrument', () => {
    const a = measureSeries({ kind: 'pain', date: '2026-11-01', side: 'left', site: ' Knee', value: 6, unit: 'NPRS' });
    expect(a).toBe(measureSeries({ kind: 'pain', date: '2026-11-09', side: 'left', site: 'knee', value: 2, unit: 'NPRS' }));
    expect(a).not.toBe(measureSeries({ kind: 'pain', date: '2026-11-01', side: 'right', site: 'knee', value: 6, unit: 'NPRS' }));
    const rom = {
      kind: 'rom',
      date: '2026-11-01',
      joint: 'knee',
      motion: 'flexion',
      side: 'right',
      mode: 'active',
      degrees: 90,
      unit: 'deg',
    } as const;
    expect(measureSeries(rom)).not.toBe(measureSeries({ ...rom, mode: 'passive' }));
    expect(measureSeries(odi(40))).toBe(measureSeries(odi(20)));
  });

  it('an outcome change counts as an improvement in the direction that is better, and reaches the MCID at exactly the MCID', () => {
    // ODI: lower is better, MCID 10 points.
    expect(outcomeChange(odi(40), odi(30))).toEqual({ change: -10, improved: true, mcid: 10, mcidReached: true });
    expect(outcomeChange(odi(40), odi(32))).toMatchObject({ improved: true, mcidReached: false });
    expect(outcomeChange(odi(30), odi(45))).toMatchObject({ change: 15, improved: false, mcidReached: false });
    expect([signedChange(12), signedChange(-4.5), signedChange(0)]).toEqual(['+12', '−4.5', '0']);
  });
});
