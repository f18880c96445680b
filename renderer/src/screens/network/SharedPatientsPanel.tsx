// How many patients each trusted clinic shares each way, by consent (docs/architecture.md#consent-screens):
// this clinic's patients the other may see now, and the other's patients this clinic may see.
import { DataTable } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import { count } from '../../format.js';
import { useCall } from '../../useCall.js';

const patients = (n: number) => count(n, 'patient', 'patients');

/** `refresh` changes with the page's poll, so the counts follow grants and withdrawals as they sync. */
export function SharedPatientsPanel({ refresh }: { readonly refresh: number }) {
  const { state } = useCall('consent.summary', {}, String(refresh));
  return (
    <section className="panel" aria-labelledby="shared-patients-title">
      <h2 id="shared-patients-title">Shared patients, by clinic</h2>
      <p className="lead">Only by each patient’s consent, recorded on the Consent tab of their record; a withdrawal ends the sharing at once.</p>
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <DataTable
          labelledBy="shared-patients-title"
          rows={state.value}
          rowKey={(r) => r.clinicId}
          columns={[
            { header: 'Clinic', rowHeader: true, cell: (r) => r.clinicName ?? 'Unknown clinic' },
            { header: 'Our patients it may see', cell: (r) => patients(r.sharedWithThem) },
            { header: 'Its patients we may see', cell: (r) => patients(r.sharedWithUs) },
          ]}
          empty="No trusted clinic yet, so no patient is shared."
        />
      )}
    </section>
  );
}
