import { describe, expect, it } from 'vitest';
import type { Chart, Episode, Note } from '../../../../shared/api/index.js';
import { chartNote } from '../../../../shared/charting/note.js';
import type { StoredChartNote, StoredEpisode, StoredMeasure } from '../../../../shared/ledger/kinds/notes.js';
import {
  alignedData,
  certReminder,
  choiceKey,
  dayNumber,
  episodeChoices,
  glance,
  mcidBand,
  notesOf,
  signedChange,
  trends,
  UNFILED,
} from './series.js';
import type { Trend } from './series.js';

const id = (c: string) => c.repeat(16);
const KNEE = id('a');
const BACK = id('b');

function episode(key: string, start: string, more: Partial<StoredEpisode> = {}): Episode {
  return {
    hash: key.repeat(4),
    at: Date.parse(`${start}T09:00:00Z`),
    savedByName: 'Priya Raman',
    readable: true,
    episode: {
      episode: key,
      referral: null,
      diagnoses: [{ code: 'M25.561', text: 'Pain in right knee' }],
      bodyRegion: 'knee',
      start,
      end: null,
      plan: { visitsPerWeek: 2, weeks: 6, certFrom: start, certTo: '2026-12-31' },
      payer: { name: '', rule: 'cms8' },
      goals: [],
      ...more,
    },
  };
}

let signed = 0;
function note(date: string, measures: StoredMeasure[], episodeId: string | null = KNEE): Note {
  signed += 1;
  const body: StoredChartNote = {
    v: 2,
    type: 'daily',
    appointmentId: null,
    episodeId,
    date,
    sections: { subjective: 'Better.' },
    measures,
    goals: [],
    billing: null,
  };
  return noteWith(body, signed);
}

function noteWith(body: StoredChartNote, n: number): Note {
  return {
    hash: n.toString(16).padStart(64, '0'),
    at: Date.parse(`${body.date}T10:00:00Z`) + n,
    authorName: 'Priya Raman',
    authorRole: 'therapist',
    readable: true,
    body,
    visitStart: null,
    awaitingCosign: false,
    cosignedBy: null,
    cosignedAt: null,
    addenda: [],
  };
}

const pain = (date: string, value: number, side: StoredMeasure['side'] = 'none', site = ''): StoredMeasure => ({
  kind: 'pain',
  date,
  side,
  site,
  value,
  unit: 'NPRS',
});
const rom = (
  date: string,
  degrees: number,
  side: 'left' | 'right' = 'right',
  motion = 'flexion',
  mode: 'active' | 'passive' = 'active',
): StoredMeasure => ({
  kind: 'rom',
  date,
  joint: 'knee',
  motion,
  side,
  mode,
  degrees,
  unit: 'deg',
});
const outcome = (date: string, instrument: 'lefs' | 'odi' | 'quickdash', score: number): StoredMeasure => ({
  kind: 'outcome',
  date,
  instrument,
  side: 'none',
  items: [1],
  score,
  unit: instrument === 'odi' ? '%' : 'points',
});

/** Notes newest first, as chart.get sends them. */
const chartOf = (episodes: Episode[], notes: Note[]): Chart => ({ episodes, notes: [...notes].reverse() });
const trendOf = (all: Trend[], trendId: string) => {
  const t = all.find((x) => x.id === trendId);
  if (!t) throw new Error(`no trend ${trendId} in ${all.map((x) => x.id).join(', ')}`);
  return t;
};

describe('episodes and their notes on the chart (docs/architecture.md#chart-view)', () => {
  it('offers episodes newest first, then the notes outside any episode this computer can read', () => {
    const notes = [note('2026-01-05', []), note('2026-03-02', [], BACK), note('2025-11-01', [], null), note('2026-03-03', [], id('c'))];
    const chart = chartOf(
      [episode(KNEE, '2026-01-05'), episode(BACK, '2026-03-01'), { ...episode(id('c'), '2026-03-03'), readable: false, episode: null }],
      notes,
    );
    const choices = episodeChoices(chart);
    expect(choices.map(choiceKey)).toEqual([BACK, KNEE, UNFILED]);
    // An episode this computer cannot open leaves its notes with the unfiled ones.
    const unfiled = choices[2];
    if (!unfiled) throw new Error('no unfiled choice');
    expect(notesOf(chart, unfiled).map((n) => n.body?.date)).toEqual(['2026-03-03', '2025-11-01']);
    const knee = choices[1];
    if (!knee) throw new Error('no knee choice');
    expect(notesOf(chart, knee).map((n) => n.body?.date)).toEqual(['2026-01-05']);
  });

  it('has no unfiled choice when every note belongs to a known episode', () => {
    expect(episodeChoices(chartOf([episode(KNEE, '2026-01-05')], [note('2026-01-05', [])])).map(choiceKey)).toEqual([KNEE]);
  });
});

describe('trends across the visits of an episode', () => {
  it('draws pain, range of motion per joint and motion (a series per side and mode) and each outcome measure; manual muscle grades stay in the notes', () => {
    const notes = [
      note('2026-01-05', [
        pain('2026-01-05', 7),
        rom('2026-01-05', 90),
        rom('2026-01-05', 130, 'left'),
        rom('2026-01-05', -10, 'right', 'extension'),
        outcome('2026-01-05', 'lefs', 30),
        { kind: 'mmt', date: '2026-01-05', muscle: 'quadriceps', side: 'right', grade: '4-', unit: 'grade' },
      ]),
      note('2026-01-12', [pain('2026-01-12', 5), rom('2026-01-12', 105), rom('2026-01-12', 112, 'right', 'flexion', 'passive')]),
      note('2026-02-02', [
        pain('2026-02-02', 2),
        rom('2026-02-02', 120),
        rom('2026-02-02', -2, 'right', 'extension'),
        outcome('2026-02-02', 'lefs', 52),
      ]),
    ];
    const all = trends([...notes].reverse());
    expect(all.map((t) => t.id)).toEqual(['pain', 'rom:knee:flexion', 'rom:knee:extension', 'outcome:lefs']);
    expect(trendOf(all, 'pain').series.map((s) => s.points.map((p) => p.value))).toEqual([[7, 5, 2]]);

    const flexion = trendOf(all, 'rom:knee:flexion');
    expect(flexion.title).toBe('Knee flexion');
    expect(flexion.series.map((s) => [s.label, s.points.map((p) => p.value)])).toEqual([
      ['Left, active', [130]],
      ['Right, active', [90, 105, 120]],
      ['Right, passive', [112]],
    ]);
    expect(flexion.reference).toEqual({ label: 'Normal 135°', value: 135 });
    expect(flexion.range).toEqual([0, 150]);
    // Extension ends at 0°: a knee short of straight reads negative, and the scale reaches it.
    const extension = trendOf(all, 'rom:knee:extension');
    expect(extension.reference?.value).toBe(0);
    expect(extension.range[0]).toBe(-10);

    const lefs = trendOf(all, 'outcome:lefs');
    expect(lefs.range).toEqual([0, 80]);
    expect(lefs.mcid?.value).toBe(9);
    expect(lefs.higherIsBetter).toBe(true);
  });

  it('takes the later note’s value when two notes measured the same day, and keeps the measure’s own day', () => {
    const notes = [
      note('2026-01-05', [pain('2026-01-05', 6)]),
      note('2026-01-05', [pain('2026-01-05', 4)]),
      note('2026-01-09', [pain('2026-01-08', 3)]),
    ];
    const [p] = trends([...notes].reverse());
    expect(p?.series[0]?.points.map((x) => [x.day, x.value])).toEqual([
      ['2026-01-05', 4],
      ['2026-01-08', 3],
    ]);
  });

  it('shows a version-1 note’s pain through its normalised body, on the day it was signed', () => {
    const v1 = chartNote(
      { type: 'daily', appointmentId: null, subjective: 'Knee pain on stairs.', objective: '', assessment: '', plan: '', pain: 4 },
      '2025-10-03',
    );
    const [p] = trends([noteWith(v1, 99)]);
    expect(p?.id).toBe('pain');
    expect(p?.series[0]?.points).toEqual([{ day: '2025-10-03', value: 4, note: (99).toString(16).padStart(64, '0') }]);
  });

  it('keeps pain at different sites and sides apart', () => {
    const [p] = trends([note('2026-01-05', [pain('2026-01-05', 6, 'left', 'knee'), pain('2026-01-05', 2, 'right', 'knee')])]);
    expect(p?.series.map((s) => s.label)).toEqual(['Pain, knee (left)', 'Pain, knee (right)']);
  });

  it('aligns every series on the days any of them has a point, null elsewhere', () => {
    const flexion = trendOf(
      trends([note('2026-01-05', [rom('2026-01-05', 90), rom('2026-01-05', 130, 'left')]), note('2026-01-12', [rom('2026-01-12', 105)])].reverse()),
      'rom:knee:flexion',
    );
    expect(alignedData(flexion)).toEqual([
      [dayNumber('2026-01-05'), dayNumber('2026-01-12')],
      [130, null],
      [90, 105],
    ]);
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});

describe('at a glance: the latest value, its change since the first, and the MCID', () => {
  const lefs = (scores: number[]) =>
    trendOf(
      trends(scores.map((s, i) => note(`2026-01-${String(10 + i)}`, [outcome(`2026-01-${String(10 + i)}`, 'lefs', s)])).reverse()),
      'outcome:lefs',
    );
  const odi = (scores: number[]) =>
    trendOf(
      trends(scores.map((s, i) => note(`2026-01-${String(10 + i)}`, [outcome(`2026-01-${String(10 + i)}`, 'odi', s)])).reverse()),
      'outcome:odi',
    );

  it('reads pain going down as better, and a change within the MCID as not yet important', () => {
    const p = trendOf(trends([note('2026-01-05', [pain('2026-01-05', 7)]), note('2026-01-12', [pain('2026-01-12', 3)])].reverse()), 'pain');
    const g = p.series[0] && glance(p, p.series[0]);
    expect(g).toMatchObject({ change: -4, direction: 'better', important: null });
    expect(signedChange(p, -4)).toBe('−4/10');
    const l = lefs([30, 36]);
    expect(l.series[0] && glance(l, l.series[0])).toMatchObject({ change: 6, direction: 'better', important: false });
    expect(signedChange(l, 6)).toBe('+6 points');
  });

  it('reads a LEFS rise of the MCID or more as an important improvement, and an ODI rise as worse', () => {
    const l = lefs([30, 39]);
    expect(l.series[0] && glance(l, l.series[0])).toMatchObject({ change: 9, direction: 'better', important: true });
    const o = odi([40, 52]);
    expect(o.series[0] && glance(o, o.series[0])).toMatchObject({ change: 12, direction: 'worse', important: true });
    expect(signedChange(o, 0)).toBe('±0%');
  });

  it('counts a change that reaches the MCID exactly as reaching it, whatever floating point makes of the decimals', () => {
    // 16.4 − 6.4 is 9.999… in floating point; the ODI's MCID is 10.
    const o = odi([16.4, 6.4]);
    expect(o.series[0] && glance(o, o.series[0])).toMatchObject({ change: -10, direction: 'better', important: true });
    const quick = trendOf(
      trends(
        [note('2026-01-10', [outcome('2026-01-10', 'quickdash', 50)]), note('2026-01-20', [outcome('2026-01-20', 'quickdash', 34.1)])].reverse(),
      ),
      'outcome:quickdash',
    );
    expect(quick.series[0] && glance(quick, quick.series[0])).toMatchObject({ change: -15.9, important: true });
  });

  it('draws the MCID band from the first score toward improvement: up for LEFS, down for ODI, within the scale', () => {
    const l = lefs([30, 50]);
    expect(l.series[0] && mcidBand(l, l.series[0])).toEqual([30, 39]);
    const high = lefs([76, 78]);
    expect(high.series[0] && mcidBand(high, high.series[0])).toEqual([76, 80]);
    const o = odi([40, 20]);
    const mcid = o.mcid?.value ?? NaN;
    expect(o.series[0] && mcidBand(o, o.series[0])).toEqual([40 - mcid, 40]);
    const low = odi([4, 2]);
    expect(low.series[0] && mcidBand(low, low.series[0])).toEqual([0, 4]);
  });
});

describe('the re-certification reminder', () => {
  const e = (certTo: string, end: string | null = null) => {
    const saved = episode(KNEE, '2026-01-05', { end, plan: { visitsPerWeek: 2, weeks: 6, certFrom: '2026-01-05', certTo } }).episode;
    if (!saved) throw new Error('unreadable');
    return saved;
  };
  it('is due within 7 days of the end of certification, overdue after it, and absent for a closed or far-off one', () => {
    expect(certReminder(e('2026-02-20'), '2026-02-12')).toBeNull();
    expect(certReminder(e('2026-02-20'), '2026-02-13')).toEqual({ kind: 'due', certTo: '2026-02-20', days: 7 });
    expect(certReminder(e('2026-02-20'), '2026-02-20')).toEqual({ kind: 'due', certTo: '2026-02-20', days: 0 });
    expect(certReminder(e('2026-02-20'), '2026-03-02')).toEqual({ kind: 'overdue', certTo: '2026-02-20', days: 10 });
    expect(certReminder(e('2026-02-20', '2026-02-18'), '2026-03-02')).toBeNull();
  });
});
