// The head of an episode of care on the chart (docs/architecture.md#chart-view, #episodes-of-care):
// diagnoses with their ICD-10-CM codes, body region, referral, plan of care, the certification
// period with its re-certification reminder, and the goals with their status.
import { BODY_REGION_NAMES } from '../../../../shared/charting/common.js';
import { BILLING_RULE_NAMES } from '../../../../shared/charting/billing.js';
import { when } from '../../format.js';
import { certReminder } from './series.js';
import type { ReadableEpisode } from './series.js';
import { dayText, GOAL_STATUS_NAMES } from './words.js';

export function EpisodeHeader({ episode: saved, today }: { readonly episode: ReadableEpisode; readonly today: string }) {
  const e = saved.episode;
  const reminder = certReminder(e, today);
  return (
    <section className="panel episode-header" aria-labelledby="episode-title">
      <h2 id="episode-title">
        Episode of care: {BODY_REGION_NAMES[e.bodyRegion]}, {e.end ? `${dayText(e.start)} to ${dayText(e.end)}` : `since ${dayText(e.start)}`}
      </h2>
      {reminder && (
        <p className={reminder.kind === 'overdue' ? 'cert-reminder overdue' : 'cert-reminder'} role="note" data-testid="cert-reminder">
          <strong>{reminder.kind === 'overdue' ? 'Re-certification overdue' : 'Re-certification due'}:</strong>{' '}
          {reminder.kind === 'overdue'
            ? `the plan of care was certified until ${dayText(reminder.certTo)}, ${String(reminder.days)} ${reminder.days === 1 ? 'day' : 'days'} ago.`
            : reminder.days === 0
              ? `the plan of care’s certification ends today (${dayText(reminder.certTo)}).`
              : `the plan of care’s certification ends on ${dayText(reminder.certTo)}, in ${String(reminder.days)} ${reminder.days === 1 ? 'day' : 'days'}.`}{' '}
          Send the updated plan to the referring provider for signature.
        </p>
      )}
      <dl className="facts">
        <dt>Diagnoses</dt>
        <dd>
          <ul className="diagnoses">
            {e.diagnoses.map((d) => (
              <li key={d.code}>
                <span className="mono">{d.code}</span> {d.text}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Referral</dt>
        <dd>{e.referral ? `${e.referral.provider}${e.referral.date ? `, ${dayText(e.referral.date)}` : ''}` : 'None (direct access)'}</dd>
        <dt>Plan of care</dt>
        <dd>
          {e.plan.visitsPerWeek} {e.plan.visitsPerWeek === 1 ? 'visit' : 'visits'} a week for {e.plan.weeks} {e.plan.weeks === 1 ? 'week' : 'weeks'}
        </dd>
        <dt>Certified</dt>
        <dd>
          {dayText(e.plan.certFrom)} to {dayText(e.plan.certTo)}
        </dd>
        <dt>Payer</dt>
        <dd>
          {e.payer.name === '' ? 'Not named' : e.payer.name} · {BILLING_RULE_NAMES[e.payer.rule]}
        </dd>
        <dt>Last saved</dt>
        <dd>
          {when.format(saved.at)}
          {saved.savedByName ? ` by ${saved.savedByName}` : ''}
        </dd>
      </dl>
      <h3 id="goals-title">Goals</h3>
      {e.goals.length === 0 ? (
        <p className="empty">No goals set yet.</p>
      ) : (
        <table className="grid goals" aria-labelledby="goals-title">
          <thead>
            <tr>
              <th scope="col">Goal</th>
              <th scope="col">Term</th>
              <th scope="col">Target</th>
              <th scope="col">By</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {e.goals.map((g) => (
              <tr key={g.id}>
                <th scope="row">{g.text}</th>
                <td>{g.term === 'short' ? 'Short-term' : 'Long-term'}</td>
                <td>{g.target}</td>
                <td>{dayText(g.targetDate)}</td>
                <td>
                  <span className={`goal-status ${g.status}`}>{GOAL_STATUS_NAMES[g.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
