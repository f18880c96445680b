// The patient's episodes of care on their record (docs/architecture.md#episodes-of-care): each with
// its diagnoses, plan of care, payer and goals, and the re-certification reminder; therapists open
// and change them here (or from the note form, with an evaluation).
import { useState } from 'react';
import { BILLING_RULE_NAMES } from '../../../../shared/charting/billing.js';
import { BODY_REGION_NAMES } from '../../../../shared/charting/common.js';
import { wallClock } from '../../../../shared/time.js';
import { formatIsoDate } from '../../format.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { mayCall } from '../../roles.js';
import type { CallState } from '../../useCall.js';
import type { Chart } from '../../../../shared/api/index.js';
import { EpisodeForm, GOAL_STATUS_NAMES } from './EpisodeForm.js';
import { episodeFields, newEpisodeFields } from './episodeModel.js';
import { isOpen, sortedEpisodes } from './model.js';
import { RecertReminder } from './RecertReminder.js';
import { ProgressReportButton } from '../print/ProgressReportButton.js';
import './charting.css';

export function EpisodesPanel(props: {
  readonly patientId: string;
  /** The record's chart, asked for once by the record page (one reading of the record). */
  readonly chart: CallState<Chart>;
  /** An episode was saved: the record page asks for the chart again. */
  readonly onSaved: () => void;
}) {
  const session = useSession();
  const announce = useAnnounce();
  const state = props.chart;
  // 'new', or the episode being changed.
  const [editing, setEditing] = useState<string | null>(null);
  const [today] = useState(() => wallClock(Date.now(), session.timeZone).date);
  const writes = mayCall(session.role, 'episodes.save');
  const episodes = state.status === 'ok' ? sortedEpisodes(state.value.episodes) : [];
  /** The form closes: focus goes to the panel's heading (the button that opened the form may be gone). */
  const close = () => {
    setEditing(null);
    window.requestAnimationFrame(() => document.getElementById('episodes-title')?.focus());
  };
  const saved = (words: string) => {
    close();
    announce(words);
    props.onSaved();
  };

  return (
    <section className="panel episodes" aria-labelledby="episodes-title">
      <div className="row heading-row">
        <h2 id="episodes-title" tabIndex={-1}>
          Episodes of care
        </h2>
        {writes && editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            Open an episode of care
          </button>
        )}
      </div>
      {editing === 'new' && (
        <EpisodeForm
          patientId={props.patientId}
          initial={newEpisodeFields(today)}
          onSaved={() => saved('Episode of care opened.')}
          onCancel={close}
        />
      )}
      {state.status === 'loading' && <Loading>Opening the episodes…</Loading>}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && episodes.length === 0 && (
        <p className="empty">No episode of care yet.{writes ? ' Open one with the initial evaluation.' : ''}</p>
      )}
      {episodes.length > 0 && (
        <ol className="episode-list">
          {episodes.map((e) =>
            editing === e.episode ? (
              <li key={e.episode}>
                <EpisodeForm
                  patientId={props.patientId}
                  initial={episodeFields(e)}
                  onSaved={() => saved('Episode of care saved.')}
                  onCancel={close}
                />
              </li>
            ) : (
              <li key={e.episode}>
                <article aria-label={`Episode: ${BODY_REGION_NAMES[e.bodyRegion]}, from ${formatIsoDate(e.start)}`} className="episode">
                  <header>
                    <strong>{BODY_REGION_NAMES[e.bodyRegion]}</strong> · from {formatIsoDate(e.start)}
                    {e.end ? ` to ${formatIsoDate(e.end)}` : ''}{' '}
                    {isOpen(e) ? <span className="badge">Open</span> : <span className="badge">Closed</span>}
                  </header>
                  <RecertReminder episode={e} today={today} />
                  <dl className="facts">
                    <dt>Diagnoses</dt>
                    <dd>
                      {e.diagnoses.map((d) => (
                        <span key={d.code} className="diagnosis">
                          <span className="mono">{d.code}</span> {d.text}
                        </span>
                      ))}
                    </dd>
                    <dt>Plan of care</dt>
                    <dd>
                      {e.plan.visitsPerWeek} visits a week for {e.plan.weeks} weeks; certified {formatIsoDate(e.plan.certFrom)} to{' '}
                      {formatIsoDate(e.plan.certTo)}
                    </dd>
                    <dt>Referral</dt>
                    <dd>{e.referral ? `${e.referral.provider}${e.referral.date ? `, ${formatIsoDate(e.referral.date)}` : ''}` : '—'}</dd>
                    <dt>Payer</dt>
                    <dd>
                      {e.payer.name || '—'} · {BILLING_RULE_NAMES[e.payer.rule]}
                    </dd>
                  </dl>
                  {e.goals.length > 0 && (
                    <ul className="episode-goals" aria-label="Goals">
                      {e.goals.map((g) => (
                        <li key={g.id}>
                          {g.term === 'short' ? 'Short-term' : 'Long-term'}: {g.text} — target {g.target} by {formatIsoDate(g.targetDate)} ·{' '}
                          <strong>{GOAL_STATUS_NAMES[g.status]}</strong>
                        </li>
                      ))}
                    </ul>
                  )}
                  {writes && editing === null && (
                    <button type="button" className="secondary" onClick={() => setEditing(e.episode)}>
                      Change this episode
                    </button>
                  )}
                  <ProgressReportButton patientId={props.patientId} episodeId={e.episode} />
                </article>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}
