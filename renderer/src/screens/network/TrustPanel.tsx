import { useState } from 'react';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import { Notice } from '../../kit/Notice.js';
import { FormError } from '../../kit/FormError.js';
import type { NetworkStatus } from './format.js';
import { TrustAcceptForm } from './TrustAcceptForm.js';
import { trustClinicColumns, WITHDRAW_TRUST } from './TrustClinicColumns.js';
import type { TrustedClinic, TrustHandshake } from './TrustFormat.js';
import { TrustHandshakeCard } from './TrustHandshakeCard.js';
import { useRowAction } from './useRowAction.js';

/**
 * Clinics this clinic trusts, and making that trust: one manager invites with a one-time code,
 * the other clinic's manager enters it, and both compare a safety number (by phone) before
 * anything is shared. Clinics and invitations in progress come from the page's polled status.
 */
export function TrustPanel(props: { readonly status: NetworkStatus; readonly now: number; readonly onChanged: () => void }) {
  const { status, now, onChanged } = props;
  const bridge = useBridge();
  const [inviting, setInviting] = useState(false);
  const [inviteError, setInviteError] = useState<string | null>(null);
  const withdrawal = useRowAction(WITHDRAW_TRUST, { key: (clinic: TrustedClinic) => clinic.id, label: (clinic) => clinic.name }, onChanged);
  // Invitations this page started or answered that the polled status does not list yet, so a code
  // shows at once rather than at the next poll. Once status lists one, status is the truth.
  const [pending, setPending] = useState<readonly TrustHandshake[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());

  const polled = new Set(status.handshakes.map((h) => h.id));
  if (pending.some((h) => polled.has(h.id))) setPending(pending.filter((h) => !polled.has(h.id)));
  // A "now trusted" outcome is stale once trust in that clinic has been withdrawn since.
  const withdrawnIds = new Set(status.clinics.filter((c) => c.state === 'withdrawn').map((c) => c.id));
  const stale = (h: TrustHandshake) => h.state === 'trusted' && h.peer !== null && withdrawnIds.has(h.peer.id);
  const handshakes = [...status.handshakes, ...pending.filter((h) => !polled.has(h.id))].filter((h) => !dismissed.has(h.id) && !stale(h));

  const remember = (handshake: TrustHandshake) => {
    setPending((list) => [...list.filter((h) => h.id !== handshake.id), handshake]);
    onChanged();
  };

  const invite = async () => {
    setInviting(true);
    setInviteError(null);
    const result = await bridge.invoke('network.invite', {});
    setInviting(false);
    if (result.ok) remember(result.value);
    else setInviteError(result.error.message);
  };

  const server = status.signaling[0];
  return (
    <section className="panel trust" aria-labelledby="trust-title">
      <h2 id="trust-title">Trusted clinics</h2>
      <p className="lead">
        Trusting another clinic shares only each clinic’s public directory (its name, devices and staff names with their roles) and its checkpoints,
        which let each clinic witness that the other’s record is not rewritten. Patient records stay at home until a patient consents to share theirs.
      </p>
      <Notice>{withdrawal.notice}</Notice>
      <DataTable
        {...withdrawal.table}
        labelledBy="trust-title"
        rows={status.clinics}
        rowClassName={(clinic) => (clinic.state === 'trusted' ? '' : 'inactive')}
        columns={trustClinicColumns(withdrawal.trigger)}
        empty="No trusted clinics yet. Invite a clinic you work with, or accept an invitation from one: only your public directory and checkpoints are shared, and patient records stay at this clinic until a patient consents."
      />

      {handshakes.length > 0 && (
        <>
          <h3>Invitations</h3>
          {handshakes.map((handshake) => (
            <TrustHandshakeCard
              key={handshake.id}
              handshake={handshake}
              server={server ?? ''}
              now={now}
              onAnswered={remember}
              onDismiss={() => setDismissed((ids) => new Set(ids).add(handshake.id))}
            />
          ))}
        </>
      )}

      <h3>Invite a clinic</h3>
      {server === undefined ? (
        <p className="hint">Inviting needs a signalling server, through which the other clinic finds this one: set one under Pair a device above.</p>
      ) : (
        <>
          <p className="hint">Makes a one-time code (valid 10 minutes) to give the other clinic’s manager, with this clinic’s signalling address.</p>
          <FormError message={inviteError} />
          <button type="button" disabled={inviting} onClick={() => void invite()}>
            {inviting ? 'Making a code…' : 'Invite a clinic'}
          </button>
        </>
      )}

      <TrustAcceptForm onAccepted={remember} />
    </section>
  );
}
