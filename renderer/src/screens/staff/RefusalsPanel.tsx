import type { CallOutput } from '../../../../shared/api/index.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { when } from '../../format.js';

type Refusal = CallOutput<'staff.refusals'>[number];

const COLUMNS: readonly Column<Refusal>[] = [
  { header: 'When', cell: (r) => when.format(new Date(r.at)) },
  {
    header: 'Who',
    cell: (r) => (
      <>
        {r.staffName ?? 'Someone not signed in'}
        {r.role ? ` (${roleName(r.role)})` : ''}
      </>
    ),
  },
  // In words from main (shared/api/labels.ts); the call's name stays out of a manager's view.
  { header: 'Tried to', cell: (r) => r.request },
  { header: 'Why it was refused', cell: (r) => r.reason },
];

/** Requests this clinic refused, newest first: each one is a signed entry in the private stream. */
export function RefusalsPanel() {
  const { state, reload } = useCall('staff.refusals', { limit: 200 });
  return (
    <section className="panel" aria-labelledby="refusals-title">
      <div className="row heading-row">
        <h2 id="refusals-title">Refused requests</h2>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <DataTable
          label="Refused requests"
          rows={state.value}
          rowKey={(r, i) => `${String(r.at)}-${String(i)}`}
          columns={COLUMNS}
          empty="Nothing has been refused."
        />
      )}
    </section>
  );
}
