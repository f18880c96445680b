import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../../../shared/api/index.js';
import type { Clinic } from '../../../shared/api/index.js';
import type { Bridge } from '../bridge.js';

type Fields = { code: string; signaling: string; label: string };

/**
 * A new device joins an existing clinic with the pairing code a manager shows on the Network page
 * of one of the clinic's devices. The code is checked in main; nothing is stored until it works.
 */
export function JoinClinic({
  bridge,
  onJoined,
  onCancel,
}: {
  readonly bridge: Bridge;
  readonly onJoined: () => void;
  readonly onCancel: () => void;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Fields>({
    resolver: zodResolver(api['network.join'].input),
    defaultValues: { code: '', signaling: '', label: '' },
  });
  const { errors, isSubmitting } = formState;

  const submit = handleSubmit(async (fields) => {
    setServerError(null);
    const result = await bridge.invoke('network.join', fields);
    if (result.ok) onJoined();
    else setServerError(result.error.message);
  });

  return (
    <main className="centered">
      <form className="card setup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="join-title">
        <h1 id="join-title">Join your clinic</h1>
        <p className="lead">
          On a computer already set up for the clinic, a manager opens <strong>Network</strong> and chooses <strong>Show pairing code</strong>. Enter
          what it shows here.
        </p>

        <label htmlFor="code">Pairing code</label>
        <input
          id="code"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder="7K3M-Q9TX-2BHD"
          aria-invalid={!!errors.code}
          {...register('code')}
        />
        {errors.code && <p className="field-error">{errors.code.message}</p>}

        <label htmlFor="signaling">Signalling server</label>
        <input
          id="signaling"
          autoComplete="off"
          spellCheck={false}
          placeholder="ws://192.168.1.20:4444"
          aria-invalid={!!errors.signaling}
          {...register('signaling')}
        />
        {errors.signaling && <p className="field-error">{errors.signaling.message}</p>}

        <label htmlFor="label">Name for this computer</label>
        <input id="label" autoComplete="off" placeholder="Front desk" aria-invalid={!!errors.label} {...register('label')} />
        {errors.label && <p className="field-error">{errors.label.message}</p>}

        {serverError && (
          <p className="form-error" role="alert">
            {serverError}
          </p>
        )}
        <button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Waiting for the other computer…' : 'Join clinic'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={isSubmitting}>
          Back
        </button>
      </form>
    </main>
  );
}

/** After joining: the clinic's records arrive through sync; the app opens once its identity is here. */
export function Joining({ bridge, onReady }: { readonly bridge: Bridge; readonly onReady: (clinic: Clinic) => void }) {
  const [entries, setEntries] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const poll = async () => {
      const result = await bridge.invoke('clinic.status', {});
      if (!live) return;
      if (!result.ok) setError(result.error.message);
      else if (result.value.state === 'ready') onReady(result.value.clinic);
      else if (result.value.state === 'joining') setEntries(result.value.entries);
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [bridge, onReady]);
  return (
    <main className="centered">
      <section className="card setup" aria-labelledby="joining-title" aria-busy="true">
        <h1 id="joining-title">Receiving your clinic's records</h1>
        <p className="lead">
          This computer joined the clinic. It opens as soon as the clinic's records arrive from its other computers (one of them must be on).
        </p>
        <p role="status">{entries === 0 ? 'Waiting for another computer of the clinic…' : `${entries.toLocaleString()} records received…`}</p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </section>
    </main>
  );
}
