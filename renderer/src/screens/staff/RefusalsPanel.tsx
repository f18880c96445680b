import { api, isCallName } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { when } from '../../format.js';

/** What was asked for, in words: the call's own one-line summary, with its name for support. */
function describeCall(call: string): string {
  return isCallName(call) ? `${api[call].summary} (${call})` : call;
}

/** Requests this clinic refused, newest first: each one is a signed entry in the private stream. */
export function RefusalsPanel({ bridge }: { readonly bridge: Bridge }) {
  const { state, reload } = useCall(bridge, 'staff.refusals', { limit: 200 });
  return (
    <section className="panel" aria-labelledby="refusals-title">
      <div className="row heading-row">
        <h2 id="refusals-title">Refused requests</h2>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {state.status === 'loading' && <p aria-busy="true">Loading…</p>}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          {state.error.message}
        </p>
      )}
      {state.status === 'ok' && state.value.length === 0 && <p className="empty">Nothing has been refused.</p>}
      {state.status === 'ok' && state.value.length > 0 && (
        <table className="grid" aria-label="Refused requests">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Asked for</th>
              <th scope="col">Why it was refused</th>
            </tr>
          </thead>
          <tbody>
            {state.value.map((r, i) => (
              <tr key={`${String(r.at)}-${String(i)}`}>
                <td>{when.format(new Date(r.at))}</td>
                <td>
                  {r.staffName ?? 'Someone not signed in'}
                  {r.role ? ` (${roleName(r.role)})` : ''}
                </td>
                <td>{describeCall(r.call)}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
