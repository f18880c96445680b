import { useState } from 'react';
import { assertNever } from '../../../../shared/ledger/kinds/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { Notice } from '../../kit/Notice.js';
import { timeOnly } from './format.js';
import { OneTimeCode } from './OneTimeCode.js';
import type { TrustHandshake } from './TrustFormat.js';
import { TrustSafetyNumber } from './TrustSafetyNumber.js';

/**
 * One invitation in progress, from either side: the code while the inviter waits, then the safety
 * number both managers compare before anything is shared, then the outcome.
 */
export function TrustHandshakeCard(props: {
  readonly handshake: TrustHandshake;
  /** Where the other clinic finds this one: the first signalling server. */
  readonly server: string;
  readonly now: number;
  readonly onAnswered: (handshake: TrustHandshake) => void;
  readonly onDismiss: () => void;
}) {
  const { handshake, server, now, onAnswered, onDismiss } = props;
  const peerName = handshake.peer?.name ?? 'the other clinic';
  const dismiss = (
    <button type="button" className="secondary" onClick={onDismiss}>
      Dismiss
    </button>
  );

  switch (handshake.state) {
    case 'waiting': {
      const expiry = timeOnly.format(new Date(handshake.expiresAt));
      if (now >= handshake.expiresAt) {
        return (
          <div className="trust-handshake">
            <FormError>
              {handshake.code ? `The invitation code ${handshake.code}` : 'The invitation'} expired at {expiry} without an answer.{' '}
              {handshake.role === 'inviter' ? 'Invite again to make a new code.' : 'Ask the other clinic for a new code.'}
            </FormError>
            {dismiss}
          </div>
        );
      }
      if (handshake.role === 'inviter' && handshake.code) {
        return (
          <OneTimeCode
            label="Invitation code"
            className="trust-handshake"
            code={handshake.code}
            codeTestId="invitation-code"
            server={server}
            expiresAt={handshake.expiresAt}
            intro={
              <>
                Give the other clinic’s manager this code and the signalling address. In Movelog they enter both under{' '}
                <strong>Accept an invitation</strong> on their Network page; on a computer without a screen they run:
              </>
            }
            command={`movelog trust ${handshake.code} --signal ${server}`}
            commandTestId="trust-command"
          >
            <p className="hint">
              The code works once, for 10 minutes. Read it out or type it rather than sending it: whoever enters it first gets to compare a safety
              number with you.
            </p>
            <p role="status">Waiting for the other clinic’s manager to enter the code…</p>
          </OneTimeCode>
        );
      }
      return (
        <div className="trust-handshake">
          <p role="status">Waiting for the clinic that invited you to answer (until {expiry}). Keep this page open.</p>
        </div>
      );
    }
    case 'confirm':
      return <ConfirmTrust handshake={handshake} peerName={peerName} onAnswered={onAnswered} />;
    case 'trusted':
      return (
        <div className="trust-handshake">
          <Notice>{handshake.message ?? `“${peerName}” is now a trusted clinic.`}</Notice>
          {dismiss}
        </div>
      );
    case 'declined':
      return (
        <div className="trust-handshake">
          <FormError
            message={handshake.message ?? `The invitation ${handshake.peer ? `with “${handshake.peer.name}” ` : ''}was declined: nothing is shared.`}
          />
          {dismiss}
        </div>
      );
    case 'failed':
      return (
        <div className="trust-handshake">
          <FormError
            message={handshake.message ?? `The invitation ${handshake.peer ? `with “${handshake.peer.name}” ` : ''}failed: nothing is shared.`}
          />
          {dismiss}
        </div>
      );
    default:
      return assertNever(handshake.state, 'invitation state');
  }
}

/** Both managers read the safety number to each other; only a match lets the clinics share. */
function ConfirmTrust(props: {
  readonly handshake: TrustHandshake;
  readonly peerName: string;
  readonly onAnswered: (handshake: TrustHandshake) => void;
}) {
  const { handshake, peerName, onAnswered } = props;
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  /** What this manager answered, until the polled status shows the outcome. */
  const [answered, setAnswered] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const titleId = `confirm-${handshake.id}`;

  const answer = async (matches: boolean) => {
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('network.confirmTrust', { id: handshake.id, matches });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setAnswered(matches);
    onAnswered(result.value);
  };

  return (
    <div className="trust-handshake pairing" role="group" aria-labelledby={titleId}>
      <h3 id={titleId}>Compare the safety number with “{peerName}”</h3>
      <p className="safety-line">
        {handshake.fingerprint ? (
          <TrustSafetyNumber fingerprint={handshake.fingerprint} large testId="safety-number" />
        ) : (
          <span className="hint">The safety number is not known yet.</span>
        )}
      </p>
      <p>
        Call the manager of “{peerName}” on a number you already know and read these digits to each other. Confirm only if every digit is the same on
        both screens. If they differ, someone else may have answered the invitation: choose “They differ” and nothing is shared.
      </p>
      {answered === true && <p role="status">You confirmed that the numbers match. Recording trust in “{peerName}”…</p>}
      {answered === false && <p role="status">You said the numbers differ. Nothing is shared with “{peerName}”.</p>}
      {answered === null && (
        <div className="row">
          <button type="button" disabled={busy || !handshake.fingerprint} onClick={() => void answer(true)}>
            The numbers match
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void answer(false)}>
            They differ
          </button>
        </div>
      )}
      <FormError message={error} />
    </div>
  );
}
