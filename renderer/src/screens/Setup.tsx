import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ClinicSetupInput } from '../../../shared/api/index.js';
import type { Clinic } from '../../../shared/api/index.js';
import type { Bridge } from '../bridge.js';

type Fields = { clinicName: string; managerName: string; passphrase: string };

/** First run: name the clinic and its first manager. Validated here for speed, and again in main. */
export function Setup({ bridge, onDone, onJoin }: { readonly bridge: Bridge; readonly onDone: (clinic: Clinic) => void; readonly onJoin: () => void }) {
  const [serverError, setServerError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Fields>({
    resolver: zodResolver(ClinicSetupInput),
    defaultValues: { clinicName: '', managerName: '', passphrase: '' },
  });
  const { errors, isSubmitting } = formState;

  const submit = handleSubmit(async (fields) => {
    setServerError(null);
    const result = await bridge.invoke('clinic.setup', fields);
    if (result.ok) onDone(result.value);
    else setServerError(result.error.message);
  });

  return (
    <main className="centered">
      <form className="card setup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="setup-title">
        <h1 id="setup-title">Set up your clinic</h1>
        <p className="lead">This computer will keep your clinic's record. You can add staff and devices later.</p>

        <label htmlFor="clinicName">Clinic name</label>
        <input id="clinicName" autoFocus autoComplete="organization" aria-invalid={!!errors.clinicName} {...register('clinicName')} />
        {errors.clinicName && <p className="field-error">{errors.clinicName.message}</p>}

        <label htmlFor="managerName">Your name (clinic manager)</label>
        <input id="managerName" autoComplete="name" aria-invalid={!!errors.managerName} {...register('managerName')} />
        {errors.managerName && <p className="field-error">{errors.managerName.message}</p>}

        <label htmlFor="passphrase">Passphrase</label>
        <input
          id="passphrase"
          type="password"
          autoComplete="new-password"
          aria-describedby="passphrase-hint"
          aria-invalid={!!errors.passphrase}
          {...register('passphrase')}
        />
        <p id="passphrase-hint" className="hint">
          At least 10 characters. A few unrelated words are easy to remember and hard to guess.
        </p>
        {errors.passphrase && <p className="field-error">{errors.passphrase.message}</p>}

        {serverError && (
          <p className="form-error" role="alert">
            {serverError}
          </p>
        )}
        <button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Setting up…' : 'Set up clinic'}
        </button>
        <p className="hint">
          Is your clinic already using Movelog on another computer?{' '}
          <button type="button" className="link" onClick={onJoin}>
            Join it with a pairing code
          </button>
        </p>
      </form>
    </main>
  );
}
