import type { CallOutput } from '../../../../shared/api/index.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import type { CallState } from '../../useCall.js';
import type { NetworkDevice } from './format.js';
import { deviceName, when } from './format.js';

type LedgerStatus = CallOutput<'ledger.status'>;

/** `sync:<device>` / `peer:<device>` name the device an entry came from; anything else is shown as is. */
function sourceName(source: string, devices: readonly NetworkDevice[]): string {
  const match = /^(?:sync|peer):(.+)$/.exec(source);
  const key = match?.[1];
  return key && devices.some((d) => d.key === key) ? deviceName(key, devices) : source;
}

function quarantineColumns(devices: readonly NetworkDevice[]): readonly Column<LedgerStatus['recentQuarantine'][number]>[] {
  return [
    { header: 'Received', cell: (q) => when.format(new Date(q.receivedAt)) },
    { header: 'From', title: (q) => q.source, cell: (q) => sourceName(q.source, devices) },
    { header: 'Reason', cell: (q) => q.reason },
  ];
}

function forkColumns(devices: readonly NetworkDevice[]): readonly Column<LedgerStatus['forks'][number]>[] {
  return [
    { header: 'Device', title: (f) => f.author, cell: (f) => deviceName(f.author, devices) },
    {
      header: 'Entry',
      cell: (f) => (
        <>
          {f.seq} of {f.stream.split('/')[1] ?? f.stream}
        </>
      ),
    },
    { header: 'Detected', cell: (f) => when.format(new Date(f.detectedAt)) },
  ];
}

/**
 * What this device refused from the others (`ledger.status`, the data the Clinic screen's
 * integrity panel shows): entries quarantined on receipt, and devices caught signing two
 * versions of their history (forks), with the devices frozen because of it.
 */
export function RefusedPanel({ state, devices }: { readonly state: CallState<LedgerStatus>; readonly devices: readonly NetworkDevice[] }) {
  if (state.status === 'loading') return <section className="panel" aria-busy="true" aria-label="Refused entries and forks" />;
  if (state.status === 'error') {
    return (
      <section className="panel" aria-label="Refused entries and forks">
        <h2>Refused entries and forks</h2>
        <FormError message={state.error.message} />
      </section>
    );
  }
  const status = state.value;
  return (
    <>
      <section className="panel" aria-labelledby="quarantine-title">
        <h2 id="quarantine-title">Refused entries (quarantine)</h2>
        {status.recentQuarantine.length === 0 ? (
          <p className="empty">Nothing refused. Every entry received from other devices passed its checks.</p>
        ) : (
          <>
            <p className="hint">
              Entries that failed a check when they arrived (a bad signature, a broken chain, a removed device…). They are kept aside, never applied.
              {status.quarantined > status.recentQuarantine.length &&
                ` Showing the latest ${status.recentQuarantine.length} of ${status.quarantined.toLocaleString()}.`}
            </p>
            <DataTable
              labelledBy="quarantine-title"
              rows={status.recentQuarantine}
              rowKey={(q, i) => `${q.hash ?? 'none'}-${String(i)}`}
              columns={quarantineColumns(devices)}
            />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="forks-title">
        <h2 id="forks-title">Forks</h2>
        {status.forks.length === 0 ? (
          <p className="empty">No forks. No device has signed two different versions of its history.</p>
        ) : (
          <>
            <FormError>
              <strong>A device signed two different versions of its history.</strong> Usually its key was copied to another computer. Its entries are
              no longer accepted until a manager reviews it; remove the device if it should not sign anything more.
            </FormError>
            <DataTable labelledBy="forks-title" rows={status.forks} rowKey={(f) => f.otherHash} columns={forkColumns(devices)} />
          </>
        )}
        {status.frozenAuthors.length > 0 && (
          <>
            <h3>Frozen devices</h3>
            <ul>
              {status.frozenAuthors.map((a) => (
                <li key={a.author}>
                  <span title={a.author}>{deviceName(a.author, devices)}</span>, since {when.format(new Date(a.since))}: {a.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
