// The Chart tab of a patient's record (docs/architecture.md#chart-view): one episode of care at a
// time (newest first), its header (diagnoses, plan of care, certification, goals), the trends of
// pain, range of motion and outcome scores across its visits, and the timeline of its notes. One
// `chart.get` (a recorded reading) feeds all of it.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Chart } from '../../../../shared/api/index.js';
import { wallClock } from '../../../../shared/time.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { useCall } from '../../useCall.js';
import { EpisodeHeader } from './EpisodeHeader.js';
import { choiceKey, episodeChoices, notesOf, trends } from './series.js';
import type { EpisodeChoice, Trend } from './series.js';
import { Timeline } from './Timeline.js';
import { TrendChart } from './TrendChart.js';
import { dayText } from './words.js';
import './chart.css';

/** Set on `performance` once every trend of the chosen episode is drawn (bench/chart.mjs reads it). */
export const DRAWN_MARK = 'movelog:chart-drawn';

export function ChartView({ patientId }: { readonly patientId: string }) {
  const { state } = useCall('chart.get', { patientId });
  if (state.status === 'loading') return <Loading>Opening the chart…</Loading>;
  if (state.status === 'error') return <FormError message={state.error.message} />;
  return <LoadedChart chart={state.value} />;
}

const choiceName = (c: EpisodeChoice) =>
  c.kind === 'unfiled'
    ? 'Notes outside an episode of care'
    : `${c.episode.episode.diagnoses[0]?.text ?? 'Episode'} — from ${dayText(c.episode.episode.start)}${c.episode.episode.end ? ` to ${dayText(c.episode.episode.end)}` : ' (open)'}`;

/**
 * The chart once main sent it. `deferTables` (the default) renders the trends' tables once every
 * chart is drawn (docs/architecture.md#chart-view): they are as long as the episode (300 rows a
 * trend at 300 visits), and building them first would hold the charts back; a render test of the
 * markup turns it off.
 */
export function LoadedChart({ chart, deferTables = true }: { readonly chart: Chart; readonly deferTables?: boolean }) {
  const session = useSession();
  const choices = useMemo(() => episodeChoices(chart), [chart]);
  const [chosen, setChosen] = useState<string | null>(null);
  const choice = choices.find((c) => choiceKey(c) === chosen) ?? choices[0];
  const notes = useMemo(() => (choice ? notesOf(chart, choice) : []), [chart, choice]);
  const shown = useMemo(() => trends(notes), [notes]);
  const [today] = useState(() => wallClock(Date.now(), session.timeZone).date);

  // Every trend reports its first draw; when all have, the trends section says so (data-drawn),
  // a performance mark is set (what bench/chart.mjs waits for), and the tables follow.
  const section = useRef<HTMLElement>(null);
  const drawn = useRef(new Set<string>());
  const current = useRef<readonly Trend[]>([]);
  const widths = useRef(new Map<string, number>());
  const [tablesFor, setTablesFor] = useState<readonly Trend[] | null>(null);
  // A layout effect: it runs before the trends' (passive) effects create and draw their charts,
  // and reads every chart's width in one layout, so no chart's creation forces another.
  useLayoutEffect(() => {
    drawn.current.clear();
    current.current = shown;
    widths.current.clear();
    section.current
      ?.querySelectorAll<HTMLElement>('[data-trend-canvas]')
      .forEach((el) => widths.current.set(el.dataset.trendCanvas ?? '', el.clientWidth));
    section.current?.removeAttribute('data-drawn');
    if (shown.length === 0) section.current?.setAttribute('data-drawn', 'true');
  }, [shown]);
  const widthOf = useCallback((id: string) => widths.current.get(id) ?? 0, []);
  const onDrawn = useCallback((id: string) => {
    drawn.current.add(id);
    if (drawn.current.size === current.current.length && section.current && !section.current.hasAttribute('data-drawn')) {
      section.current.setAttribute('data-drawn', 'true');
      performance.mark(DRAWN_MARK);
      setTablesFor(current.current);
    }
  }, []);
  const withTables = !deferTables || tablesFor === shown;

  if (!choice)
    return (
      <p className="empty">
        No episode of care and no notes yet. A therapist opens an episode with the patient's evaluation; the chart follows their notes.
      </p>
    );
  return (
    <div className="chart-view">
      {choices.length > 1 && (
        <p className="row">
          <label htmlFor="chart-episode">Episode of care</label>
          <select id="chart-episode" value={choiceKey(choice)} onChange={(e) => setChosen(e.target.value)}>
            {choices.map((c) => (
              <option key={choiceKey(c)} value={choiceKey(c)}>
                {choiceName(c)}
              </option>
            ))}
          </select>
        </p>
      )}
      {choice.kind === 'episode' ? (
        <EpisodeHeader episode={choice.episode} today={today} />
      ) : (
        <section className="panel" aria-labelledby="unfiled-title">
          <h2 id="unfiled-title">Notes outside an episode of care</h2>
          <p className="hint">Signed before episodes of care were kept, or in an episode this computer cannot open.</p>
        </section>
      )}
      <section className="panel trends" aria-labelledby="trends-title" ref={section} data-testid="trends" data-trends={shown.length}>
        <h2 id="trends-title">Trends</h2>
        {shown.length === 0 && (
          <p className="empty" data-testid="no-trends">
            No measures yet: pain, range of motion and outcome scores in this episode's notes are drawn here.
          </p>
        )}
        <div className="trend-grid">
          {shown.map((t) => (
            <TrendChart key={t.id} trend={t} onDrawn={onDrawn} widthOf={widthOf} withTable={withTables} />
          ))}
        </div>
      </section>
      <Timeline key={choiceKey(choice)} notes={notes} goals={choice.kind === 'episode' ? choice.episode.episode.goals : []} />
    </div>
  );
}
