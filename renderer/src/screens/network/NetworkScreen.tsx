import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import { Notice } from '../../kit/Notice.js';
import { useCall } from '../../useCall.js';
import type { NetworkDevice, NetworkStatus } from './format.js';
import { ago, dateOnly, shortKey, when } from './format.js';
import { PairPanel } from './PairPanel.js';
import { ReachLine } from './ReachLine.js';
import { RefusedPanel } from './RefusedPanel.js';
import { SharedPatientsPanel } from './SharedPatientsPanel.js';
import { SignalingForm } from './SignalingForm.js';
import { TrustPanel } from './TrustPanel.js';
import { useRowAction } from './useRowAction.js';
import type { RowAction } from './useRowAction.js';
import './network.css';

const REMOVE_DEVICE: RowAction = {
  name: 'remove',
  button: 'Remove…',
  formLabel: (label) => `Remove ${label}`,
  question: (label) => `Remove “${label}” from the clinic?`,
  consequences:
    'Entries it signs from now on are refused by every device. This cannot be undone: to use that computer again, pair it as a new device.',
  placeholder: 'Laptop stolen from reception',
  missing: 'Say why the device is removed.',
  submit: 'Remove device',
  submitting: 'Removing…',
  send: (bridge, device, reason) => bridge.invoke('network.revokeDevice', { device, reason }),
  doneNotice: (label) => `Removed “${label}”. Entries it signs from now on are refused.`,
};

/** How often the page asks for fresh sync state while it is open. */
const POLL_MS = 2000;

/** Managers: the clinic's devices and their sync state, pairing new ones, signalling servers, trusted clinics, and what was refused. */
export function NetworkScreen() {
  const { state, reload } = useCall('network.status', {});
  const { state: ledgerState, reload: reloadLedger } = useCall('ledger.status', {});
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => {
      reload();
      reloadLedger();
      setNow(Date.now());
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [reload, reloadLedger]);

  const refresh = () => {
    reload();
    reloadLedger();
  };
  const removal = useRowAction(REMOVE_DEVICE, { key: (device: NetworkDevice) => device.key, label: (device) => device.label }, refresh);

  // Keep showing the last answer while a poll fails, so a hiccup does not wipe a pairing code or a half-typed form.
  const [lastGood, setLastGood] = useState<NetworkStatus | null>(null);
  if (state.status === 'ok' && state.value !== lastGood) setLastGood(state.value);
  const status = state.status === 'ok' ? state.value : lastGood;
  const pollError = state.status === 'error' ? state.error.message : null;

  if (!status) {
    return (
      <section aria-labelledby="network-title" aria-busy={!pollError}>
        <h1 id="network-title">Network</h1>
        {pollError && <FormError>{pollError} This page tries again every few seconds.</FormError>}
      </section>
    );
  }

  const devices = status.devices;
  return (
    <section className="network" aria-labelledby="network-title">
      <h1 id="network-title">Network</h1>
      <p className="lead">{syncSummary(status)}</p>
      <ReachLine reach={status.reach} devices={devices} />
      {pollError && <FormError>{pollError} Showing what was last known; this page tries again every few seconds.</FormError>}

      <h2 id="devices-title">Devices</h2>
      <Notice>{removal.notice}</Notice>
      <DataTable
        {...removal.table}
        labelledBy="devices-title"
        rows={devices}
        rowClassName={(device) => (device.revoked ? 'inactive' : '')}
        columns={deviceColumns(status, now, removal.trigger)}
        empty="No devices are enrolled in this clinic yet."
      />

      <PairPanel devices={devices} signaling={status.signaling} onChanged={refresh} />

      {status.signaling.length > 0 && (
        <section className="panel" aria-labelledby="signaling-title">
          <h2 id="signaling-title">Signalling servers</h2>
          <ul className="servers">
            {status.signaling.map((url) => (
              <li key={url} className="mono">
                {url}
              </li>
            ))}
          </ul>
          <SignalingForm current={status.signaling} onSaved={refresh} />
        </section>
      )}

      <TrustPanel status={status} now={now} onChanged={refresh} />

      <SharedPatientsPanel refresh={now} />

      <RefusedPanel state={ledgerState} devices={devices} />
    </section>
  );
}

function syncSummary(status: NetworkStatus): string {
  const held = status.waitingAfterRestore
    ? ' It was restored from a backup and records nothing new until it has taken back, from the clinic’s other devices, what it wrote after that backup.'
    : '';
  const entries = `This device holds ${status.logSize.toLocaleString()} ${status.logSize === 1 ? 'entry' : 'entries'}.${held}`;
  if (status.syncing) return `${entries} It syncs with the clinic’s other devices while Movelog is open.`;
  if (status.signaling.length === 0)
    return `${entries} It does not sync yet: it needs a signalling server (below) to find the clinic’s other devices.`;
  return `${entries} It is not syncing at the moment. Devices sync while Movelog runs with a signalling server set; if this stays, restart Movelog.`;
}

function statusText(device: NetworkDevice, status: NetworkStatus, now: number): string {
  if (device.revoked) return 'Removed';
  if (device.thisDevice) return status.syncing ? 'Syncing' : 'Not syncing';
  if (!device.peer) return 'Never seen';
  if (device.peer.connected) return 'Connected';
  return `Last seen ${ago(device.peer.lastSeen, now)}`;
}

function deviceColumns(status: NetworkStatus, now: number, removeButton: (device: NetworkDevice) => ReactNode): readonly Column<NetworkDevice>[] {
  return [
    {
      header: 'Device',
      cell: (device) => (
        <>
          {device.label}
          {device.thisDevice && <span className="tag">This device</span>}
        </>
      ),
    },
    { header: 'Key', className: 'mono', title: (device) => device.key, cell: (device) => shortKey(device.key) },
    { header: 'Enrolled', cell: (device) => dateOnly.format(new Date(device.enrolledAt)) },
    {
      header: 'Status',
      title: (device) => (device.peer && !device.peer.connected ? when.format(new Date(device.peer.lastSeen)) : undefined),
      cell: (device) => statusText(device, status, now),
    },
    { header: 'Sync', cell: (device) => <SyncCell device={device} status={status} /> },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'device-actions',
      cell: (device) => !device.thisDevice && !device.revoked && removeButton(device),
    },
  ];
}

/** What is still to send and receive, with the backfill's progress while entries arrive. */
function SyncCell({ device, status }: { readonly device: NetworkDevice; readonly status: NetworkStatus }) {
  const peer = device.peer;
  if (!peer || device.revoked) return '—';
  // Received so far vs. the total once the backfill is done: what this device holds plus what it
  // still lacks of the other's log (the API gives the shortfall, not the other's log size).
  const total = status.logSize + peer.pendingIn;
  return (
    <>
      {peer.pendingOut.toLocaleString()} to send · {peer.pendingIn.toLocaleString()} to receive
      {peer.pendingIn > 0 && (
        <span className="backfill">
          <progress value={status.logSize} max={total} aria-label={`Receiving from ${device.label}`} />
          <span className="hint">
            {status.logSize.toLocaleString()} of {total.toLocaleString()} entries
          </span>
        </span>
      )}
    </>
  );
}
