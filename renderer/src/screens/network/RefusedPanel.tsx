import type { CallOutput } from '../../../../shared/api/index.js';
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
        <p className="form-error" role="alert">
          {state.error.message}
        </p>
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
            <table className="grid" aria-labelledby="quarantine-title">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">From</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {status.recentQuarantine.map((q, i) => (
                  <tr key={`${q.hash ?? 'none'}-${String(i)}`}>
                    <td>{when.format(new Date(q.receivedAt))}</td>
                    <td title={q.source}>{sourceName(q.source, devices)}</td>
                    <td>{q.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="forks-title">
        <h2 id="forks-title">Forks</h2>
        {status.forks.length === 0 ? (
          <p className="empty">No forks. No device has signed two different versions of its history.</p>
        ) : (
          <>
            <p className="form-error" role="alert">
              <strong>A device signed two different versions of its history.</strong> Usually its key was copied to another computer. Its entries are
              no longer accepted until a manager reviews it; remove the device if it should not sign anything more.
            </p>
            <table className="grid" aria-labelledby="forks-title">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Entry</th>
                  <th scope="col">Detected</th>
                </tr>
              </thead>
              <tbody>
                {status.forks.map((f) => (
                  <tr key={f.otherHash}>
                    <td title={f.author}>{deviceName(f.author, devices)}</td>
                    <td>
                      {f.seq} of {f.stream.split('/')[1] ?? f.stream}
                    </td>
                    <td>{when.format(new Date(f.detectedAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
