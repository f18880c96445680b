import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { Notice } from '../../kit/Notice.js';
import type { NetworkDevice } from './format.js';
import { timeOnly } from './format.js';
import { OneTimeCode } from './OneTimeCode.js';
import { SignalingForm } from './SignalingForm.js';

type Pairing = CallOutput<'network.pairDevice'> & { readonly known: ReadonlySet<string> };

/**
 * Pairing a new device: a one-time code (valid 10 minutes) that the new device uses to find
 * this one through a signalling server. Without a signalling server, that comes first.
 */
export function PairPanel(props: {
  readonly devices: readonly NetworkDevice[];
  readonly signaling: readonly string[];
  readonly onChanged: () => void;
}) {
  const { devices, signaling, onChanged } = props;
  const bridge = useBridge();
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [expired, setExpired] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [justConfigured, setJustConfigured] = useState(false);

  useEffect(() => {
    if (!pairing) return;
    const timer = setTimeout(() => setExpired(true), Math.max(0, pairing.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [pairing]);

  const pair = async () => {
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('network.pairDevice', {});
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setExpired(false);
    setPairing({ ...result.value, known: new Set(devices.map((d) => d.key)) });
  };

  /** A device enrolled since the code was shown: the code has been used. */
  const joined = pairing ? devices.find((d) => !pairing.known.has(d.key)) : undefined;

  if (signaling.length === 0) {
    return (
      <section className="panel" aria-labelledby="pair-title">
        <h2 id="pair-title">Pair a device</h2>
        <p className="lead">
          A new device finds this one through a signalling server: a small relay on the clinic’s network that only introduces devices to each other
          (the record itself goes directly between them, encrypted). Set one up first.
        </p>
        <SignalingForm
          current={signaling}
          onSaved={() => {
            setJustConfigured(true);
            onChanged();
          }}
        />
      </section>
    );
  }

  const server = pairing?.signaling[0] ?? signaling[0] ?? '';
  return (
    <section className="panel" aria-labelledby="pair-title">
      <h2 id="pair-title">Pair a device</h2>
      {!pairing && <p className="lead">Show a one-time code here, then enter it on the new device. It joins this clinic and receives its record.</p>}
      {pairing && joined && (
        <Notice>
          “{joined.label}” joined the clinic. Its sync progress shows in the devices table above (a device without a screen syncs while{' '}
          <code>movelog sync</code> runs on it).
        </Notice>
      )}
      {pairing && !joined && expired && (
        <FormError>
          The code {pairing.code} expired at {timeOnly.format(new Date(pairing.expiresAt))} without a device joining. Show a new code to try again.
        </FormError>
      )}
      {pairing && !joined && !expired && (
        <OneTimeCode
          label="Pairing code"
          code={pairing.code}
          codeTestId="pairing-code"
          server={server}
          expiresAt={pairing.expiresAt}
          intro={
            <>
              On a device without a screen, run this, then <code>movelog sync</code> to keep it up to date:
            </>
          }
          command={`movelog join ${pairing.code} --signal ${server}`}
          commandTestId="join-command"
        >
          <p className="hint">
            The code works once, for 10 minutes. Keep this page open until the new device appears in the table above; anyone with the code can join
            the clinic in that time, so read it out or type it rather than sending it.
          </p>
        </OneTimeCode>
      )}
      <FormError message={error} />
      <button type="button" disabled={busy} autoFocus={justConfigured} onClick={() => void pair()}>
        {busy ? 'Making a code…' : pairing ? 'Show a new pairing code' : 'Show pairing code'}
      </button>
    </section>
  );
}
