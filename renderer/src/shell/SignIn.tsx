import { useState } from 'react';
import type { Clinic, Session } from '../../../shared/api/index.js';
import { ROLE_NAMES } from '../roles.js';
import type { Bridge } from '../bridge.js';
import { useCall } from '../useCall.js';

/** Pick your name, enter your passphrase. Also the lock screen and the quick user switch. */
export function SignIn(props: {
  readonly bridge: Bridge;
  readonly clinic: Clinic;
  readonly notice: string | null;
  readonly onSignedIn: (s: Session) => void;
}) {
  const { bridge, clinic, notice, onSignedIn } = props;
  const { state: choiceState } = useCall(bridge, 'session.choices', {});
  const choices = choiceState.status === 'ok' ? choiceState.value : null;
  const [staffId, setStaffId] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!staffId) {
      setError('Choose your name first.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('session.signIn', { staffId, passphrase });
    setBusy(false);
    setPassphrase('');
    if (result.ok) onSignedIn(result.value);
    else setError(result.error.message);
  };

  return (
    <main className="centered">
      <form className="card setup" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to {clinic.name}</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <fieldset className="who">
          <legend>Who are you?</legend>
          {choices === null && <p className="hint">Loading staff…</p>}
          {choices?.length === 0 && <p className="hint">No staff member can sign in yet.</p>}
          {choices?.map((c) => (
            <label key={c.id} className={`who-choice${staffId === c.id ? ' chosen' : ''}`}>
              <input type="radio" name="staff" value={c.id} checked={staffId === c.id} onChange={() => setStaffId(c.id)} />
              <span className="who-name">{c.name}</span>
              <span className="who-role">{ROLE_NAMES[c.role]}</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor="signin-passphrase">Passphrase</label>
        <input
          id="signin-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        {(error ?? (choiceState.status === 'error' ? choiceState.error.message : null)) && (
          <p className="form-error" role="alert">
            {error ?? (choiceState.status === 'error' ? choiceState.error.message : '')}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
