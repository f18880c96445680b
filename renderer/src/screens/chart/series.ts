// What the chart view draws, computed from the chart as main sends it (docs/architecture.md#chart-view):
// which notes belong to an episode, the trends of pain, range of motion and outcome scores across
// them, the numbers read at a glance, and the re-certification reminder. Pure functions, no React,
// so the same numbers feed the canvas and the table beside it.
import type { Chart, Episode, Note } from '../../../../shared/api/index.js';
import { SIDE_NAMES } from '../../../../shared/charting/common.js';
import type { Side } from '../../../../shared/charting/common.js';
import { INSTRUMENTS, OUTCOME_INSTRUMENTS } from '../../../../shared/charting/outcomes.js';
import { ROM_NORMALS, romNormal } from '../../../../shared/charting/rom.js';
import type { StoredEpisode, StoredMeasure } from '../../../../shared/ledger/kinds/notes.js';

/** An episode as the chart can show it (this computer holds its key). */
export type ReadableEpisode = Episode & { readonly episode: StoredEpisode };

/** What the episode chooser offers: an episode of care, or the notes that belong to none. */
export type EpisodeChoice = { readonly kind: 'episode'; readonly episode: ReadableEpisode } | { readonly kind: 'unfiled' };

/** The value a note gives `unfiled`: notes signed before episodes existed, or naming one this computer cannot read. */
export const UNFILED = 'unfiled';

/** The episodes to choose from, newest first by start, then the unfiled notes when there are any. */
export function episodeChoices(chart: Chart): EpisodeChoice[] {
  const episodes = chart.episodes
    .filter((e): e is ReadableEpisode => e.episode !== null)
    .sort((a, b) => (a.episode.start === b.episode.start ? b.at - a.at : a.episode.start < b.episode.start ? 1 : -1));
  const known = new Set(episodes.map((e) => e.episode.episode));
  const choices: EpisodeChoice[] = episodes.map((episode) => ({ kind: 'episode', episode }));
  if (chart.notes.some((n) => n.body !== null && !known.has(n.body.episodeId ?? ''))) choices.push({ kind: 'unfiled' });
  return choices;
}

export const choiceKey = (c: EpisodeChoice): string => (c.kind === 'episode' ? c.episode.episode.episode : UNFILED);

/** The readable notes of one choice, newest first by day of service (then by signing). */
export function notesOf(chart: Chart, choice: EpisodeChoice): Note[] {
  const known = new Set(chart.episodes.flatMap((e) => (e.episode ? [e.episode.episode] : [])));
  const mine =
    choice.kind === 'episode'
      ? (n: Note) => n.body?.episodeId === choice.episode.episode.episode
      : (n: Note) => n.body !== null && !known.has(n.body.episodeId ?? '');
  return chart.notes.filter(mine).sort(newestFirst);
}

function newestFirst(a: Note, b: Note): number {
  const da = a.body?.date ?? '';
  const db = b.body?.date ?? '';
  return da === db ? b.at - a.at : da < db ? 1 : -1;
}

export interface TrendPoint {
  readonly day: string;
  readonly value: number;
  /** The note that holds the measure. */
  readonly note: string;
}

export interface TrendSeries {
  readonly key: string;
  readonly label: string;
  /** Oldest first, one point a day (the later note's value when two notes measured the same day). */
  readonly points: readonly TrendPoint[];
}

export interface Trend {
  readonly id: string;
  readonly kind: 'pain' | 'rom' | 'outcome';
  readonly title: string;
  /** The scale in words, under the title. */
  readonly about: string;
  /** How a value is written: "4/10", "115°", "42 points", "38%". */
  readonly unit: '/10' | '°' | ' points' | '%';
  readonly higherIsBetter: boolean;
  readonly series: readonly TrendSeries[];
  /** The y scale: fixed for scored scales, from the values (and the normal) for degrees. */
  readonly range: readonly [number, number];
  /** Range of motion: the normal end of range, drawn as a reference line. */
  readonly reference: { readonly label: string; readonly value: number } | null;
  /** Outcome measures: the MCID, drawn as a band from the first score in the direction of improvement. */
  readonly mcid: { readonly value: number; readonly source: string } | null;
}

/** "Left", "Right", "Both sides", or nothing for midline and whole-body measures. */
const sideWord = (side: Side): string => (side === 'none' ? '' : SIDE_NAMES[side]);

const romKey = (m: { joint: string; motion: string }) => `rom:${m.joint}:${m.motion}`;

/**
 * Every trend the notes hold, oldest measure first: pain (one series per side and site), range
 * of motion per joint and motion (one series per side and active/passive), and each outcome
 * measure (one series per side). Manual muscle grades are ordinal and stay in the notes.
 */
export function trends(notes: readonly Note[]): Trend[] {
  const oldestFirst = [...notes].reverse();
  // trend id → series key → day → point (a later note's measure replaces an earlier one's on the same day)
  const found = new Map<string, { label: string; series: Map<string, { label: string; days: Map<string, TrendPoint> }> }>();
  const add = (trend: string, trendLabel: string, key: string, label: string, point: TrendPoint) => {
    let t = found.get(trend);
    if (!t) found.set(trend, (t = { label: trendLabel, series: new Map() }));
    let s = t.series.get(key);
    if (!s) t.series.set(key, (s = { label, days: new Map() }));
    s.days.set(point.day, point);
  };
  for (const note of oldestFirst) {
    if (!note.body) continue;
    for (const m of note.body.measures) {
      const at = { day: m.date, note: note.hash };
      switch (m.kind) {
        case 'pain': {
          const side = sideWord(m.side).toLowerCase();
          const where = m.site === '' ? side : side === '' ? m.site : `${m.site} (${side})`;
          add('pain', 'Pain (NPRS)', `${m.side}:${m.site}`, where === '' ? 'Pain' : `Pain, ${where}`, { ...at, value: m.value });
          break;
        }
        case 'rom':
          add(romKey(m), romTitle(m), `${m.side}:${m.mode}`, romSeriesLabel(m), { ...at, value: m.degrees });
          break;
        case 'outcome': {
          const spec = INSTRUMENTS[m.instrument];
          const side = sideWord(m.side);
          add(`outcome:${m.instrument}`, spec.name, m.side, side === '' ? spec.name : `${spec.name}, ${side}`, { ...at, value: m.score });
          break;
        }
        case 'mmt':
          break;
      }
    }
  }
  const series = (id: string): TrendSeries[] =>
    [...(found.get(id)?.series ?? new Map<string, { label: string; days: Map<string, TrendPoint> }>())]
      .map(([key, s]) => ({ key, label: s.label, points: [...s.days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)) }))
      .sort((a, b) => a.label.localeCompare(b.label));

  const out: Trend[] = [];
  if (found.has('pain'))
    out.push({
      id: 'pain',
      kind: 'pain',
      title: 'Pain (NPRS)',
      about: '0 is no pain, 10 the worst imaginable; lower is better.',
      unit: '/10',
      higherIsBetter: false,
      series: series('pain'),
      range: [0, 10],
      reference: null,
      mcid: null,
    });
  // Range of motion in the bundled table's order (joints from the neck down), then anything else.
  const romIds = [...found.keys()].filter((id) => id.startsWith('rom:'));
  const tableOrder = (id: string) => {
    const i = ROM_NORMALS.findIndex((r) => romKey(r) === id);
    return i < 0 ? ROM_NORMALS.length : i;
  };
  romIds.sort((a, b) => tableOrder(a) - tableOrder(b) || a.localeCompare(b));
  for (const id of romIds) {
    const [, joint = '', motion = ''] = id.split(':');
    const normal = romNormal(joint, motion);
    const s = series(id);
    const values = s.flatMap((x) => x.points.map((p) => p.value));
    const top = Math.max(normal?.normal ?? 0, ...values);
    const bottom = Math.min(0, ...values);
    out.push({
      id,
      kind: 'rom',
      title: found.get(id)?.label ?? id,
      about: normal ? `Degrees; the dashed line is the normal end of range, ${String(normal.normal)}° (AAOS).` : 'Degrees.',
      unit: '°',
      higherIsBetter: true,
      series: s,
      range: [bottom, Math.ceil((top + 10) / 10) * 10],
      reference: normal ? { label: `Normal ${String(normal.normal)}°`, value: normal.normal } : null,
      mcid: null,
    });
  }
  for (const instrument of OUTCOME_INSTRUMENTS) {
    const id = `outcome:${instrument}`;
    if (!found.has(id)) continue;
    const spec = INSTRUMENTS[instrument];
    out.push({
      id,
      kind: 'outcome',
      title: spec.name,
      about: `Score ${String(spec.scoreMin)}–${String(spec.scoreMax)}${spec.unit === '%' ? '%' : ''}; ${spec.higherIsBetter ? 'higher' : 'lower'} is better. The shaded band is the MCID (${String(spec.mcid)}) from the first score.`,
      unit: spec.unit === '%' ? '%' : ' points',
      higherIsBetter: spec.higherIsBetter,
      series: series(id),
      range: [spec.scoreMin, spec.scoreMax],
      reference: null,
      mcid: { value: spec.mcid, source: spec.mcidSource },
    });
  }
  return out;
}

function romTitle(m: Extract<StoredMeasure, { kind: 'rom' }>): string {
  const normal = romNormal(m.joint, m.motion);
  return normal ? `${normal.jointName} ${normal.motionName.toLowerCase()}` : `${m.joint} ${m.motion}`.replaceAll('_', ' ');
}

function romSeriesLabel(m: Extract<StoredMeasure, { kind: 'rom' }>): string {
  const mode = m.mode === 'active' ? 'active' : 'passive';
  const side = sideWord(m.side);
  return side === '' ? `${mode[0]?.toUpperCase() ?? ''}${mode.slice(1)}` : `${side}, ${mode}`;
}

/** A value with its unit: "4/10", "115°", "42 points", "38%" (scores keep one decimal when they have one). */
export function withUnit(trend: Pick<Trend, 'unit'>, value: number): string {
  const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${n}${trend.unit}`;
}

export interface Glance {
  readonly first: TrendPoint;
  readonly latest: TrendPoint;
  /** Latest minus first. */
  readonly change: number;
  /** The change in the direction of better function: improved, worse, or the same. */
  readonly direction: 'better' | 'worse' | 'same';
  /** Outcome measures: whether the change reaches the MCID (null for other trends). */
  readonly important: boolean | null;
}

/** The latest value of a series and its change since the first, as the treatment table reads it. */
export function glance(trend: Trend, series: TrendSeries): Glance | null {
  const first = series.points[0];
  const latest = series.points[series.points.length - 1];
  if (!first || !latest) return null;
  // Every value is charted to one decimal at most (scores are sealed in tenths), so the change is
  // counted in tenths: 50 − 34.1 is 15.9, which reaches a QuickDASH MCID of 15.9 (in floating
  // point it is 15.8999…, which would not).
  const tenths = Math.round((latest.value - first.value) * 10);
  const change = tenths / 10;
  const better = trend.higherIsBetter ? change > 0 : change < 0;
  return {
    first,
    latest,
    change,
    direction: change === 0 ? 'same' : better ? 'better' : 'worse',
    important: trend.mcid ? Math.abs(tenths) >= Math.round(trend.mcid.value * 10) : null,
  };
}

/** "+12°", "−3/10", "±0 points": a change with its sign (a real minus sign, as printed). */
export function signedChange(trend: Pick<Trend, 'unit'>, change: number): string {
  if (change === 0) return `±${withUnit(trend, 0)}`;
  return `${change > 0 ? '+' : '−'}${withUnit(trend, Math.abs(change))}`;
}

/**
 * The MCID band of an outcome series (docs/architecture.md#chart-view): from the first score to
 * the first score plus the MCID in the direction of improvement, clipped to the scale. A later
 * score beyond the band is a clinically important improvement.
 */
export function mcidBand(trend: Trend, series: TrendSeries): readonly [number, number] | null {
  const first = series.points[0];
  if (!trend.mcid || !first) return null;
  const [lo, hi] = trend.range;
  const to = trend.higherIsBetter ? first.value + trend.mcid.value : first.value - trend.mcid.value;
  return [Math.max(lo, Math.min(first.value, to)), Math.min(hi, Math.max(first.value, to))];
}

/**
 * Days since 1970 of a `YYYY-MM-DD` day: the charts' x axis. Whole days, not instants, so a
 * point sits on its day of service whatever this computer's time zone.
 */
export const dayNumber = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/**
 * uPlot's aligned data for a trend: one x array (every day any series has a point, as dayNumber)
 * and one y array per series, null where that series has no point that day.
 */
export function alignedData(trend: Trend): [number[], ...(number | null)[][]] {
  const days = [...new Set(trend.series.flatMap((s) => s.points.map((p) => p.day)))].sort();
  const index = new Map(days.map((d, i) => [d, i]));
  const ys = trend.series.map((s) => {
    const y: (number | null)[] = days.map(() => null);
    for (const p of s.points) y[index.get(p.day) ?? 0] = p.value;
    return y;
  });
  return [days.map(dayNumber), ...ys];
}

export type CertReminder =
  | { readonly kind: 'due'; readonly certTo: string; readonly days: number }
  | { readonly kind: 'overdue'; readonly certTo: string; readonly days: number };

/**
 * The re-certification reminder (docs/architecture.md#chart-view): an open episode whose plan of
 * care's certification period ends within 7 days of `today` (clinic day), or has ended.
 */
export function certReminder(episode: StoredEpisode, today: string): CertReminder | null {
  if (episode.end !== null) return null;
  const days = dayNumber(episode.plan.certTo) - dayNumber(today);
  if (days < 0) return { kind: 'overdue', certTo: episode.plan.certTo, days: -days };
  if (days <= 7) return { kind: 'due', certTo: episode.plan.certTo, days };
  return null;
}
