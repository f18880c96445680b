// One trend of the chart view (docs/architecture.md#chart-view): the latest value and its change
// since the first in large numerals, the uPlot canvas, and a table of the same numbers. The canvas
// is hidden from assistive technology; the table is always in the page (visually hidden unless
// "Show as a table" is pressed), so screen readers and keyboard users read the numbers the chart draws.
import { useEffect, useId, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dateOnly } from '../../format.js';
import { alignedData, glance, mcidBand, signedChange, withUnit } from './series.js';
import type { Trend, TrendSeries } from './series.js';
import { dayText } from './words.js';

/** Series colours: at least 3:1 against white (WCAG 2.1 SC 1.4.11), told apart by dash too. */
const COLOURS = ['#0f766e', '#b45309', '#1d4ed8', '#9d174d', '#4d7c0f', '#6d28d9'] as const;
const DASHES: readonly (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [10, 3, 2, 3]];
const colour = (i: number) => COLOURS[i % COLOURS.length] ?? COLOURS[0];
const HEIGHT = 220;

/** A day number (days since 1970) as a date in the clinic's locale, read in UTC (docs/architecture.md#dates-times-and-the-clinic-locale). */
const dayLabel = (day: number) => dateOnly.format(day * 86_400_000 + 12 * 3_600_000);

/**
 * `onDrawn` and `widthOf` (the canvas width the chart view measured) must be stable (useCallback):
 * new ones redraw the chart. Without `withTable` the table is not rendered yet.
 */
export function TrendChart(props: {
  readonly trend: Trend;
  readonly onDrawn: (id: string) => void;
  readonly widthOf: (id: string) => number;
  readonly withTable: boolean;
}) {
  const { trend, onDrawn, widthOf } = props;
  const id = useId();
  const [asTable, setAsTable] = useState(false);
  const canvas = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const target = canvas.current;
    if (!target) return;
    let told = false;
    const plot = new uPlot(
      chartOptions(trend, target.clientWidth || 600, () => {
        target.dataset.drawn = 'true';
        if (!told) {
          told = true;
          onDrawn(trend.id);
        }
      }),
      alignedData(trend),
      target,
    );
    // Follows the panel's width (a window resized, a sidebar opened).
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
      delete target.dataset.drawn;
    };
  }, [trend, onDrawn, widthOf]);

  const captionId = `${id}-caption`;
  return (
    <figure className="trend" aria-labelledby={captionId} data-trend={trend.id}>
      <figcaption>
        <h3 id={captionId}>{trend.title}</h3>
        <p className="hint">{trend.about}</p>
      </figcaption>
      <div className="glances">
        {trend.series.map((s, i) => (
          <SeriesGlance key={s.key} trend={trend} series={s} index={i} />
        ))}
      </div>
      {/* The same numbers are in the table below; the canvas says nothing to a screen reader. */}
      <div className="trend-canvas" ref={canvas} aria-hidden="true" hidden={asTable} data-trend-canvas={trend.id} />
      {!asTable && <Legend trend={trend} />}
      <button type="button" className="secondary trend-toggle" aria-pressed={asTable} onClick={() => setAsTable((t) => !t)}>
        Show as a table
      </button>
      {props.withTable && <TrendTable trend={trend} visible={asTable} />}
    </figure>
  );
}

/** "4/10 now, −3/10 since 2 Mar 2026": the numerals a therapist reads from the treatment table. */
function SeriesGlance({ trend, series, index }: { readonly trend: Trend; readonly series: TrendSeries; readonly index: number }) {
  const g = glance(trend, series);
  if (!g) return null;
  const changed = g.first.day !== g.latest.day;
  return (
    <div className={`glance ${g.direction}`} data-testid="glance" data-series={series.key} style={{ borderColor: colour(index) }}>
      <span className="glance-label">{series.label}</span>
      <span className="glance-latest" data-testid="latest">
        {withUnit(trend, g.latest.value)}
      </span>
      <span className="glance-when">on {dayText(g.latest.day)}</span>
      {changed && (
        <span className="glance-change" data-testid="change">
          {signedChange(trend, g.change)} since {dayText(g.first.day)}
          {g.direction !== 'same' && ` (${g.direction})`}
          {g.important === true && g.direction === 'better' && ' — clinically important improvement'}
          {g.important === true && g.direction === 'worse' && ' — clinically important worsening'}
          {g.important === false && g.direction !== 'same' && ' — less than the MCID'}
        </span>
      )}
    </div>
  );
}

function Legend({ trend }: { readonly trend: Trend }) {
  return (
    <ul className="trend-legend" aria-hidden="true">
      {trend.series.map((s, i) => (
        <li key={s.key}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" stroke={colour(i)} strokeWidth="2.5" strokeDasharray={DASHES[i % DASHES.length]?.join(' ')} />
          </svg>
          {s.label}
        </li>
      ))}
      {trend.reference && <li className="legend-reference">- - - {trend.reference.label}</li>}
      {trend.mcid && <li className="legend-band">Shaded: within the MCID ({withUnit(trend, trend.mcid.value)}) of the first score</li>}
    </ul>
  );
}

/** The chart's numbers: one row per day of service, one column per series. */
function TrendTable({ trend, visible }: { readonly trend: Trend; readonly visible: boolean }) {
  const days = [...new Set(trend.series.flatMap((s) => s.points.map((p) => p.day)))].sort().reverse();
  const byDay = trend.series.map((s) => new Map(s.points.map((p) => [p.day, p.value])));
  return (
    <table className={visible ? 'grid trend-table' : 'grid trend-table visually-hidden'} data-testid="trend-table">
      <caption>
        {trend.title}, newest first
        {trend.reference ? `. ${trend.reference.label}` : ''}
        {trend.mcid ? `. MCID ${withUnit(trend, trend.mcid.value)} (${trend.mcid.source})` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Day of service</th>
          {trend.series.map((s) => (
            <th key={s.key} scope="col">
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {days.map((day) => (
          <tr key={day}>
            <th scope="row">{dayText(day)}</th>
            {byDay.map((values, i) => {
              const v = values.get(day);
              return <td key={trend.series[i]?.key ?? i}>{v === undefined ? '—' : withUnit(trend, v)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function chartOptions(trend: Trend, width: number, drawn: () => void): uPlot.Options {
  const [lo, hi] = trend.range;
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    // No cursor: its hover readout is what the table holds, and it measures the page (a forced layout) as each chart starts.
    cursor: { show: false },
    scales: {
      // Whole days (docs/architecture.md#chart-view); a lone visit gets a day either side.
      x: { time: false, range: (_u, min, max) => (min === max ? [min - 3, max + 3] : [min - 1, max + 1]) },
      y: { range: [lo, hi] },
    },
    axes: [
      { incrs: [1, 2, 7, 14, 28, 56, 91, 182, 364, 728], values: (_u, splits) => splits.map((d) => dayLabel(d)), space: 80 },
      // Short ticks (the unit is in the caption): "80", "100%", "120°".
      { values: (_u, splits) => splits.map((v) => (trend.unit === '%' || trend.unit === '°' ? withUnit(trend, v) : String(v))), size: 56 },
    ],
    series: [
      {},
      ...trend.series.map((s, i) => ({
        label: s.label,
        stroke: colour(i),
        width: 2.5,
        dash: DASHES[i % DASHES.length],
        spanGaps: true,
        points: { show: true, size: 7, fill: colour(i) },
      })),
    ],
    hooks: {
      // Under the series: the normal range's line, and each outcome series' MCID band from its first score.
      drawClear: [(u) => drawReferences(u, trend)],
      draw: [drawn],
    },
  };
}

function drawReferences(u: uPlot, trend: Trend): void {
  const { ctx, bbox } = u;
  ctx.save();
  if (trend.mcid)
    trend.series.forEach((s, i) => {
      const band = mcidBand(trend, s);
      if (!band) return;
      const top = u.valToPos(band[1], 'y', true);
      const bottom = u.valToPos(band[0], 'y', true);
      ctx.fillStyle = `${colour(i)}26`; // the series colour at 15 % opacity
      ctx.fillRect(bbox.left, top, bbox.width, Math.max(1, bottom - top));
    });
  if (trend.reference) {
    const y = Math.round(u.valToPos(trend.reference.value, 'y', true));
    ctx.strokeStyle = '#5b6b76';
    ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
    ctx.setLineDash([6 * (window.devicePixelRatio || 1), 4 * (window.devicePixelRatio || 1)]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
  }
  ctx.restore();
}
