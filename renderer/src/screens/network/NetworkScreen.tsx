import { useEffect, useState } from 'react';
import type { Bridge } from '../../bridge.js';
import { useCall } from '../../useCall.js';
import type { NetworkDevice, NetworkStatus } from './format.js';
import { ago, dateOnly, shortKey, when } from './format.js';
import { PairPanel } from './PairPanel.js';
import { ReachLine } from './ReachLine.js';
import { RefusedPanel } from './RefusedPanel.js';
import { SignalingForm } from './SignalingForm.js';
import { TrustPanel } from './TrustPanel.js';
import { ReasonForm } from './ReasonForm.js';
import { useRowAction } from './useRowAction.js';
import './network.css';

/** How often the page asks for fresh sync state while it is open. */
const POLL_MS = 2000;

/** Managers: the clinic's devices and their sync state, pairing new ones, signalling servers, trusted clinics, and what was refused. */
export function NetworkScreen({ bridge }: { readonly bridge: Bridge }) {
  const { state, reload } = useCall(bridge, 'network.status', {});
  const { state: ledgerState, reload: reloadLedger } = useCall(bridge, 'ledger.status', {});
  const [now, setNow] = useState(() => Date.now());
  const removal = useRowAction('remove');

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

  // Keep showing the last answer while a poll fails, so a hiccup does not wipe a pairing code or a half-typed form.
  const [lastGood, setLastGood] = useState<NetworkStatus | null>(null);
  if (state.status === 'ok' && state.value !== lastGood) setLastGood(state.value);
  const status = state.status === 'ok' ? state.value : lastGood;
  const pollError = state.status === 'error' ? state.error.message : null;

  if (!status) {
    return (
      <section aria-labelledby="network-title" aria-busy={!pollError}>
        <h1 id="network-title">Network</h1>
        {pollError && (
          <p className="form-error" role="alert">
            {pollError} This page tries again every few seconds.
          </p>
        )}
      </section>
    );
  }

  const devices = status.devices;
  return (
    <section className="network" aria-labelledby="network-title">
      <h1 id="network-title">Network</h1>
      <p className="lead">{syncSummary(status)}</p>
      <ReachLine reach={status.reach} devices={devices} />
      {pollError && (
        <p className="form-error" role="alert">
          {pollError} Showing what was last known; this page tries again every few seconds.
        </p>
      )}

      <h2 id="devices-title">Devices</h2>
      {removal.notice && (
        <p className="notice" role="status">
          {removal.notice}
        </p>
      )}
      {devices.length === 0 ? (
        <p className="empty">No devices are enrolled in this clinic yet.</p>
      ) : (
        <table className="grid" aria-labelledby="devices-title">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Key</th>
              <th scope="col">Enrolled</th>
              <th scope="col">Status</th>
              <th scope="col">Sync</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => (
              <DeviceRows
                key={device.key}
                bridge={bridge}
                device={device}
                status={status}
                now={now}
                removing={removal.isOpen(device.key)}
                onRemove={() => removal.open(device.key)}
                onCancel={() => removal.cancel(device.key)}
                onRemoved={() => {
                  removal.done(`Removed “${device.label}”. Entries it signs from now on are refused.`);
                  refresh();
                }}
              />
            ))}
          </tbody>
        </table>
      )}

      <PairPanel bridge={bridge} devices={devices} signaling={status.signaling} onChanged={refresh} />

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
          <SignalingForm bridge={bridge} current={status.signaling} onSaved={refresh} />
        </section>
      )}

      <TrustPanel bridge={bridge} status={status} now={now} onChanged={refresh} />

      <RefusedPanel state={ledgerState} devices={devices} />
    </section>
  );
}

function syncSummary(status: NetworkStatus): string {
  const entries = `This device holds ${status.logSize.toLocaleString()} ${status.logSize === 1 ? 'entry' : 'entries'}.`;
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

function DeviceRows(props: {
  readonly bridge: Bridge;
  readonly device: NetworkDevice;
  readonly status: NetworkStatus;
  readonly now: number;
  readonly removing: boolean;
  readonly onRemove: () => void;
  readonly onCancel: () => void;
  readonly onRemoved: () => void;
}) {
  const { bridge, device, status, now, removing, onRemove, onCancel, onRemoved } = props;
  const peer = device.peer;
  // Received so far vs. the total once the backfill is done: what this device holds plus what it
  // still lacks of the other's log (the API gives the shortfall, not the other's log size).
  const total = peer ? status.logSize + peer.pendingIn : 0;
  return (
    <>
      <tr className={device.revoked ? 'inactive' : ''}>
        <td>
          {device.label}
          {device.thisDevice && <span className="tag">This device</span>}
        </td>
        <td className="mono" title={device.key}>
          {shortKey(device.key)}
        </td>
        <td>{dateOnly.format(new Date(device.enrolledAt))}</td>
        <td title={peer && !peer.connected ? when.format(new Date(peer.lastSeen)) : undefined}>{statusText(device, status, now)}</td>
        <td>
          {peer && !device.revoked ? (
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
          ) : (
            '—'
          )}
        </td>
        <td className="device-actions">
          {!device.thisDevice && !device.revoked && (
            <button id={`remove-${device.key}`} type="button" className="secondary" aria-expanded={removing} onClick={onRemove}>
              Remove…
            </button>
          )}
        </td>
      </tr>
      {removing && (
        <tr className="remove-row">
          <td colSpan={6}>
            <RemoveDevice bridge={bridge} device={device} onCancel={onCancel} onRemoved={onRemoved} />
          </td>
        </tr>
      )}
    </>
  );
}

function RemoveDevice(props: {
  readonly bridge: Bridge;
  readonly device: NetworkDevice;
  readonly onCancel: () => void;
  readonly onRemoved: () => void;
}) {
  const { bridge, device, onCancel, onRemoved } = props;
  return (
    <ReasonForm
      id="remove-reason"
      label={`Remove ${device.label}`}
      question={
        <>
          <strong>Remove “{device.label}” from the clinic?</strong> Entries it signs from now on are refused by every device. This cannot be undone:
          to use that computer again, pair it as a new device.
        </>
      }
      placeholder="Laptop stolen from reception"
      missing="Say why the device is removed."
      submit="Remove device"
      submitting="Removing…"
      send={(reason) => bridge.invoke('network.revokeDevice', { device: device.key, reason })}
      onCancel={onCancel}
      onDone={onRemoved}
    />
  );
}
