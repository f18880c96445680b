import type { ReactNode } from 'react';
import type { Column } from '../../kit/DataTable.js';
import { roleName } from '../../roles.js';
import { dateOnly, when } from './format.js';
import type { TrustedClinic } from './TrustFormat.js';
import { TrustSafetyNumber } from './TrustSafetyNumber.js';
import type { RowAction } from './useRowAction.js';

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The trusted clinics table: one (formerly) trusted clinic a row, what this device holds of it, and withdrawing trust. */
export function trustClinicColumns(withdrawButton: (clinic: TrustedClinic) => ReactNode): readonly Column<TrustedClinic>[] {
  return [
    {
      header: 'Clinic',
      rowHeader: true,
      cell: (clinic) => (
        <>
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
        </>
      ),
    },
    { header: 'State', cell: (clinic) => (clinic.state === 'trusted' ? 'Trusted' : 'Withdrawn') },
    { header: 'Since', title: (clinic) => when.format(new Date(clinic.since)), cell: (clinic) => dateOnly.format(new Date(clinic.since)) },
    { header: 'Safety number', cell: (clinic) => <TrustSafetyNumber fingerprint={clinic.fingerprint} /> },
    {
      header: 'Devices',
      cell: (clinic) => (
        <>
          {count(clinic.devices, 'device', 'devices')}
          {clinic.state === 'trusted' && <span className="hint"> · {clinic.connected.toLocaleString()} connected</span>}
        </>
      ),
    },
    { header: 'Entries held', cell: (clinic) => clinic.entries.toLocaleString() },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'device-actions',
      cell: (clinic) => clinic.state === 'trusted' && withdrawButton(clinic),
    },
  ];
}

/** Withdrawing trust in one clinic: the reason, then the signed withdrawal. */
export const WITHDRAW_TRUST: RowAction = {
  name: 'withdraw',
  button: 'Withdraw trust…',
  formLabel: (name) => `Withdraw trust in ${name}`,
  question: (name) => `Stop sharing with “${name}”?`,
  consequences:
    'The two clinics stop exchanging their directories and checkpoints. What each already received stays in its record. To trust it again, the managers exchange a new invitation and compare a new safety number.',
  placeholder: 'Partnership ended',
  missing: 'Say why trust is withdrawn.',
  submit: 'Withdraw trust',
  submitting: 'Withdrawing…',
  send: (bridge, clinic, reason) => bridge.invoke('network.withdrawTrust', { clinic, reason }),
  doneNotice: (name) => `Withdrew trust in “${name}”. The two clinics no longer share anything new.`,
};
