import { useRef, useState } from 'react';
import type { Clinic, Session } from '../../../shared/api/index.js';
import { ROLE_NAMES } from '../roles.js';
import { useBridge } from '../kit/BridgeContext.js';
import { Field } from '../kit/Field.js';
import { Notice } from '../kit/Notice.js';
import { SubmitBlock } from '../kit/SubmitBlock.js';
import { useCall } from '../useCall.js';

/**
 * Pick your name (or type it, when the clinic lists no names: docs/architecture.md#sign-in-sessions-and-roles),
 * enter your passphrase. Also the lock screen and the quick user switch.
 */
export function SignIn(props: { readonly clinic: Clinic; readonly notice: string | null; readonly onSignedIn: (s: Session) => void }) {
  const { clinic, notice, onSignedIn } = props;
  const bridge = useBridge();
  const { state: choiceState } = useCall('session.choices', {});
  const choices = choiceState.status === 'ok' ? choiceState.value : null;
  const [staffId, setStaffId] = useState<string | null>(null);
  // No names listed: the person types theirs.
  const typing = choices !== null && choices.length === 0;
  const [typedName, setTypedName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  // "Choose your name first.": said with the names, and focus goes to the first of them.
  const [noChoice, setNoChoice] = useState(false);
  const [busy, setBusy] = useState(false);
  const whoRef = useRef<HTMLFieldSetElement>(null);
  const passphraseRef = useRef<HTMLInputElement>(null);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const who = typing ? (typedName.trim() === '' ? null : { name: typedName }) : staffId ? { staffId } : null;
    if (!who) {
      setNoChoice(true);
      whoRef.current?.querySelector('input')?.focus();
      return;
    }
    setNoChoice(false);
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('session.signIn', { ...who, passphrase });
    setBusy(false);
    setPassphrase('');
    if (result.ok) onSignedIn(result.value);
    else {
      setError(result.error.message);
      // The passphrase was cleared: the place to try again (docs/architecture.md#accessibility).
      window.requestAnimationFrame(() => passphraseRef.current?.focus());
    }
  };

  return (
    <main className="centered">
      <form className="card setup" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to {clinic.name}</h1>
        <Notice>{notice}</Notice>
        <fieldset className="who" ref={whoRef} aria-describedby={noChoice ? 'signin-who-error' : undefined}>
          <legend>Who are you?</legend>
          {choices === null && <p className="hint">Loading staff…</p>}
          {typing && (
            <>
              <label htmlFor="signin-name">Your name</label>
              <input
                id="signin-name"
                type="text"
                autoComplete="username"
                value={typedName}
                aria-invalid={noChoice || undefined}
                onChange={(e) => {
                  setTypedName(e.target.value);
                  setNoChoice(false);
                }}
              />
            </>
          )}
          {choices?.map((c) => (
            <label key={c.id} className={`who-choice${staffId === c.id ? ' chosen' : ''}`}>
              <input
                type="radio"
                name="staff"
                value={c.id}
                checked={staffId === c.id}
                onChange={() => {
                  setStaffId(c.id);
                  setNoChoice(false);
                }}
              />
              <span className="who-name">{c.name}</span>
              <span className="who-role">{ROLE_NAMES[c.role]}</span>
            </label>
          ))}
          {noChoice && (
            <p id="signin-who-error" className="field-error" role="alert">
              {typing ? 'Enter your name first.' : 'Choose your name first.'}
            </p>
          )}
        </fieldset>
        <Field id="signin-passphrase" label="Passphrase">
          {(control) => (
            <input
              {...control}
              ref={passphraseRef}
              type="password"
              autoComplete="current-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          )}
        </Field>
        <SubmitBlock
          error={error ?? (choiceState.status === 'error' ? choiceState.error.message : null)}
          label="Sign in"
          busy={busy}
          busyLabel="Signing in…"
        />
      </form>
    </main>
  );
}
