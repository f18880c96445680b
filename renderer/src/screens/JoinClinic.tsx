import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../../../shared/api/index.js';
import type { Clinic } from '../../../shared/api/index.js';
import { useBridge } from '../kit/BridgeContext.js';
import { Field } from '../kit/Field.js';
import { useInvalidSubmit } from '../kit/useInvalidSubmit.js';
import { FormError } from '../kit/FormError.js';
import { SubmitBlock } from '../kit/SubmitBlock.js';

type Fields = { code: string; signaling: string; label: string };

/**
 * A new device joins an existing clinic with the pairing code a manager shows on the Network page
 * of one of the clinic's devices. The code is checked in main; nothing is stored until it works.
 */
export function JoinClinic({ onJoined, onCancel }: { readonly onJoined: () => void; readonly onCancel: () => void }) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, formState } = useForm<Fields>({
    resolver: zodResolver(api['network.join'].input),
    defaultValues: { code: '', signaling: '', label: '' },
  });
  const { errors, isSubmitting } = formState;

  const submit = handleSubmit(
    async (fields) => {
      setServerError(null);
      const result = await bridge.invoke('network.join', fields);
      if (result.ok) onJoined();
      else setServerError(result.error.message);
    },
    (errors) => problems(Object.keys(errors).length),
  );

  return (
    <main className="centered">
      <form ref={formRef} className="card setup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="join-title">
        <h1 id="join-title">Join your clinic</h1>
        <p className="lead">
          On a computer already set up for the clinic, a manager opens <strong>Network</strong> and chooses <strong>Show pairing code</strong>. Enter
          what it shows here.
        </p>

        <Field id="code" label="Pairing code" error={errors.code?.message}>
          {(control) => <input {...control} autoFocus autoComplete="off" spellCheck={false} placeholder="7K3M-Q9TX-2BHD" {...register('code')} />}
        </Field>

        <Field id="signaling" label="Signalling server" error={errors.signaling?.message}>
          {(control) => <input {...control} autoComplete="off" spellCheck={false} placeholder="ws://192.168.1.20:4444" {...register('signaling')} />}
        </Field>

        <Field id="label" label="Name for this computer" error={errors.label?.message}>
          {(control) => <input {...control} autoComplete="off" placeholder="Front desk" {...register('label')} />}
        </Field>

        <SubmitBlock error={serverError} label="Join clinic" busy={isSubmitting} busyLabel="Waiting for the other computer…">
          <button type="button" className="secondary" onClick={onCancel} disabled={isSubmitting}>
            Back
          </button>
        </SubmitBlock>
      </form>
    </main>
  );
}

/** After joining: the clinic's records arrive through sync; the app opens once its identity is here. */
export function Joining({ onReady }: { readonly onReady: (clinic: Clinic) => void }) {
  const bridge = useBridge();
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
        <FormError message={error} />
      </section>
    </main>
  );
}
