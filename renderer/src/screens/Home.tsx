import { VerifyOutcome } from '../../../shared/api/index.js';
import type { Clinic, ClinicOverview } from '../../../shared/api/index.js';
import { DataTable } from '../kit/DataTable.js';
import { FormError } from '../kit/FormError.js';
import { JobProgress } from '../kit/JobProgress.js';
import { Loading } from '../kit/Loading.js';
import { Outcome } from '../kit/Notice.js';
import type { OutcomeMessage } from '../kit/Notice.js';
import { useSession } from '../kit/SessionContext.js';
import { mayCall } from '../roles.js';
import { useCall } from '../useCall.js';
import { useJob } from '../useJob.js';
import { count, dateOnly, dayAndTime, longDate, when } from '../format.js';
import { Integrity } from './Integrity.js';
import { CareWindowPanel } from './access/CareWindowPanel.js';
import { RetentionSetting } from './patients/Erasure.js';

type Checkpoint = ClinicOverview['checkpoints'][number];
type Device = ClinicOverview['devices'][number];

/** "Checkpoint of 30 Nov, 14:02, witnessed by 2 devices and 1 other clinic". */
export function checkpointInWords(c: Checkpoint): string {
  const by = [
    c.devices > 0 ? count(c.devices, 'device', 'devices') : null,
    c.otherClinics > 0 ? count(c.otherClinics, 'other clinic', 'other clinics') : null,
  ]
    .filter((s) => s !== null)
    .join(' and ');
  return `Checkpoint of ${dayAndTime.format(c.at)}, witnessed by ${by === '' ? 'no one yet' : by}`;
}

/**
 * "Last verified 30 Nov 2026, 14:02: intact (1,234 entries; nothing was altered or removed)." —
 * or, when something could not be checked, says what (docs/architecture.md#verification).
 */
export function verifyInWords(v: VerifyOutcome | null): string {
  if (v === null) return 'The whole record has not been verified on this computer yet.';
  const entries = count(v.entries, 'entry', 'entries');
  if (!v.intact) return `Last verified ${when.format(v.at)}: PROBLEM FOUND after ${entries} — ${v.problem ?? 'see movelog verify'}.`;
  if (v.notChecked.length === 0) return `Last verified ${when.format(v.at)}: intact (${entries}; nothing was altered or removed).`;
  return `Last verified ${when.format(v.at)}: intact (${entries}; nothing was altered). Not checked: ${v.notChecked.join('; ')}.`;
}

/** What a restore from a backup means for this computer now (docs/architecture.md#backups). */
export function restoredInWords(r: NonNullable<ClinicOverview['restored']>): string {
  const restored = `Restored on ${when.format(r.at)} from a backup of ${when.format(r.backupAt)}.`;
  return r.waiting
    ? `${restored} Waiting to catch up: this computer first takes back from the clinic's other computers what it wrote after that backup, and records nothing new until then. Keep sync running while another computer of the clinic is on.`
    : restored;
}

const DEVICE_COLUMNS = [
  { header: 'Computer', cell: (d: Device) => (d.thisDevice ? `${d.label} (this computer)` : d.label) },
  { header: 'Enrolled', cell: (d: Device) => dateOnly.format(d.enrolledAt) },
  { header: 'Status', cell: (d: Device) => (d.revoked ? 'Removed from the clinic' : 'Active') },
];

/**
 * The Clinic page (docs/architecture.md#the-clinic-page): the clinic, its computers, the last
 * verification of this computer's record and its witnessed checkpoints, in words; the ids and
 * hashes behind them on demand.
 */
export function Home({ clinic }: { readonly clinic: Clinic }) {
  const { state, reload } = useCall('clinic.overview', {});
  return (
    <>
      <h1>{clinic.name}</h1>
      <dl className="facts">
        <dt>Manager</dt>
        <dd data-testid="manager-name">{clinic.manager.name}</dd>
        <dt>Set up on</dt>
        <dd>{longDate.format(clinic.createdAt)}</dd>
      </dl>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && <Overview overview={state.value} onVerified={reload} />}
      <CareWindowPanel />
      <Integrity />
    </>
  );
}

function Overview({ overview, onVerified }: { readonly overview: ClinicOverview; readonly onVerified: () => void }) {
  const { role } = useSession();
  return (
    <>
      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">Computers of the clinic</h2>
        <DataTable label="Computers of the clinic" rows={overview.devices} rowKey={(d) => d.key} columns={DEVICE_COLUMNS} empty="No computers." />
      </section>
      <section className="panel" aria-labelledby="verify-title">
        <h2 id="verify-title">Record check</h2>
        {overview.restored && <p data-testid="restored">{restoredInWords(overview.restored)}</p>}
        <p data-testid="last-verify">{verifyInWords(overview.lastVerify)}</p>
        {mayCall(role, 'ledger.verify') && <VerifyNow onDone={onVerified} />}
        <h3>Witnessed checkpoints</h3>
        {overview.checkpoints.length === 0 ? (
          <p className="empty">No checkpoint of this computer has been witnessed yet: computers sign and witness checkpoints while they sync.</p>
        ) : (
          <ul data-testid="checkpoints">
            {overview.checkpoints.map((c) => (
              <li key={c.hash}>
                {checkpointInWords(c)}
                {c.matches ? (
                  '.'
                ) : c.replaced ? (
                  " — it names this computer's record as it was before the restore from a backup (expected: not an alteration)."
                ) : (
                  <strong> — no longer matches this computer's record: it was altered. Run movelog verify and call for support.</strong>
                )}
              </li>
            ))}
          </ul>
        )}
        <details>
          <summary>Ids and hashes</summary>
          <dl className="facts">
            <dt>Clinic id</dt>
            <dd className="mono">{overview.clinic.id}</dd>
            {overview.devices.map((d) => (
              <DeviceKey key={d.key} device={d} />
            ))}
            {overview.checkpoints.map((c) => (
              <CheckpointIds key={c.hash} checkpoint={c} />
            ))}
          </dl>
        </details>
      </section>
      <RetentionSetting />
    </>
  );
}

function DeviceKey({ device }: { readonly device: Device }) {
  return (
    <>
      <dt>Key of {device.label}</dt>
      <dd className="mono">{device.key}</dd>
    </>
  );
}

function CheckpointIds({ checkpoint: c }: { readonly checkpoint: Checkpoint }) {
  return (
    <>
      <dt>Checkpoint of {dayAndTime.format(c.at)}</dt>
      <dd className="mono">
        entry {c.hash}, after {count(c.size, 'entry', 'entries')}, chain head {c.chain}
      </dd>
    </>
  );
}

/**
 * Managers: verify the whole record now, as `movelog verify --data` does: the `verify` job, off
 * Movelog's main thread, with its progress and Cancel (docs/architecture.md#long-work-off-the-main-thread).
 */
function VerifyNow({ onDone }: { readonly onDone: () => void }) {
  const job = useJob('verify', {}, (state) => {
    if (state.status === 'done') onDone();
  });
  const state = job.state;
  let message: OutcomeMessage = null;
  if (job.error) message = { error: true, text: job.error };
  else if (state?.status === 'done') {
    const outcome = VerifyOutcome.safeParse(state.result);
    message = outcome.success
      ? { error: !outcome.data.intact, text: verifyInWords(outcome.data) }
      : { error: true, text: 'The check ended without an outcome.' };
  } else if (state?.status === 'cancelled') message = { error: false, text: 'Verification cancelled; the last outcome stands.' };
  else if (state?.status === 'failed') message = { error: true, text: state.message ?? 'The verification could not finish.' };
  const start = () => void job.start();
  return (
    <>
      {state?.status === 'running' ? (
        <JobProgress label="Verifying the record" unit="entries checked" state={state} onCancel={() => void job.cancel()} />
      ) : (
        <button type="button" className="secondary" onClick={start}>
          Verify now
        </button>
      )}
      <Outcome message={message} />
    </>
  );
}
