import type { Role } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { ROLE_NAMES } from '../../roles.js';
import { dateOnly, when } from './format.js';
import type { TrustedClinic } from './TrustFormat.js';
import { TrustSafetyNumber } from './TrustSafetyNumber.js';
import { ReasonForm } from './ReasonForm.js';

const roleName = (role: string) => (Object.hasOwn(ROLE_NAMES, role) ? ROLE_NAMES[role as Role] : role);
const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** One trusted (or formerly trusted) clinic: what this device holds of it, and withdrawing trust. */
export function TrustClinicRows(props: {
  readonly bridge: Bridge;
  readonly clinic: TrustedClinic;
  readonly withdrawing: boolean;
  readonly onWithdraw: () => void;
  readonly onCancel: () => void;
  readonly onWithdrawn: () => void;
}) {
  const { bridge, clinic, withdrawing, onWithdraw, onCancel, onWithdrawn } = props;
  const trusted = clinic.state === 'trusted';
  return (
    <>
      <tr className={trusted ? '' : 'inactive'}>
        <th scope="row">
          {clinic.name}
          <details className="trust-staff">
            <summary>Staff directory ({clinic.staff.length.toLocaleString()})</summary>
            {clinic.staff.length === 0 ? (
              <p className="hint">Nothing received yet: it arrives once one of its devices has synced with this one.</p>
            ) : (
              <ul>
                {clinic.staff.map((member, i) => (
                  <li key={`${member.name}-${String(i)}`}>
                    {member.name} <span className="hint">· {roleName(member.role)}</span>
                  </li>
                ))}
              </ul>
            )}
          </details>
        </th>
        <td>{trusted ? 'Trusted' : 'Withdrawn'}</td>
        <td title={when.format(new Date(clinic.since))}>{dateOnly.format(new Date(clinic.since))}</td>
        <td>
          <TrustSafetyNumber fingerprint={clinic.fingerprint} />
        </td>
        <td>
          {count(clinic.devices, 'device', 'devices')}
          {trusted && <span className="hint"> · {clinic.connected.toLocaleString()} connected</span>}
        </td>
        <td>{clinic.entries.toLocaleString()}</td>
        <td className="device-actions">
          {trusted && (
            <button id={`withdraw-${clinic.id}`} type="button" className="secondary" aria-expanded={withdrawing} onClick={onWithdraw}>
              Withdraw trust…
            </button>
          )}
        </td>
      </tr>
      {withdrawing && (
        <tr className="remove-row">
          <td colSpan={7}>
            <WithdrawTrust bridge={bridge} clinic={clinic} onCancel={onCancel} onWithdrawn={onWithdrawn} />
          </td>
        </tr>
      )}
    </>
  );
}

function WithdrawTrust(props: {
  readonly bridge: Bridge;
  readonly clinic: TrustedClinic;
  readonly onCancel: () => void;
  readonly onWithdrawn: () => void;
}) {
  const { bridge, clinic, onCancel, onWithdrawn } = props;
  return (
    <ReasonForm
      id="withdraw-reason"
      label={`Withdraw trust in ${clinic.name}`}
      question={
        <>
          <strong>Stop sharing with “{clinic.name}”?</strong> The two clinics stop exchanging their directories and checkpoints. What each already
          received stays in its record. To trust it again, the managers exchange a new invitation and compare a new safety number.
        </>
      }
      placeholder="Partnership ended"
      missing="Say why trust is withdrawn."
      submit="Withdraw trust"
      submitting="Withdrawing…"
      send={(reason) => bridge.invoke('network.withdrawTrust', { clinic: clinic.id, reason })}
      onCancel={onCancel}
      onDone={onWithdrawn}
    />
  );
}
