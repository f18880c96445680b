import { FormError } from '../kit/FormError.js';
import { useCall } from '../useCall.js';
import { when } from '../format.js';

const short = (s: string) => `${s.slice(0, 12)}…`;

/** The record's integrity as this computer sees it: entries, chain head, and anything refused. */
export function Integrity() {
  const { state } = useCall('ledger.status', {});

  if (state.status === 'loading') return <section className="panel" aria-busy="true" aria-label="Record integrity" />;
  if (state.status === 'error') {
    return (
      <section className="panel" aria-label="Record integrity">
        <h2>Record integrity</h2>
        <FormError message={state.error.message} />
      </section>
    );
  }
  const status = state.value;
  const trouble = status.forks.length > 0 || status.frozenAuthors.length > 0;
  return (
    <section className="panel" aria-label="Record integrity">
      <h2>Record integrity</h2>
      <dl className="facts">
        <dt>Signed entries</dt>
        <dd data-testid="entry-count">{status.entries.toLocaleString()}</dd>
        <dt>Waiting for earlier entries</dt>
        <dd>{status.pending}</dd>
        <dt>Refused (quarantined)</dt>
        <dd>{status.quarantined}</dd>
      </dl>
      <details>
        <summary>Chain head</summary>
        <p className="mono">{status.chainHead}</p>
      </details>
      {trouble && (
        <FormError as="div">
          <strong>A device signed two different versions of its history.</strong> Its entries are no longer accepted until a manager reviews it.
          <ul>
            {status.forks.map((f) => (
              <li key={f.otherHash}>
                Device <span className="mono">{short(f.author)}</span>, entry {f.seq} of {f.stream.split('/')[1]} — seen{' '}
                {when.format(new Date(f.detectedAt))}
              </li>
            ))}
          </ul>
        </FormError>
      )}
      {status.recentQuarantine.length > 0 && (
        <details>
          <summary>Recently refused entries</summary>
          <ul>
            {status.recentQuarantine.map((q, i) => (
              <li key={`${q.hash ?? 'none'}-${String(i)}`}>
                {when.format(new Date(q.receivedAt))} from {q.source}: {q.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
