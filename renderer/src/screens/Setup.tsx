import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ClinicSetupInput } from '../../../shared/api/index.js';
import type { Clinic } from '../../../shared/api/index.js';
import { DEFAULT_TIME_ZONE, timeZones } from '../../../shared/time.js';
import type { Bridge } from '../bridge.js';
import { TimeZoneSelect } from './TimeZoneSelect.js';

type Fields = { clinicName: string; managerName: string; passphrase: string; timeZone?: string };

/** This computer's time zone, the likely answer for where the clinic is. */
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** First run: name the clinic and its first manager. Validated here for speed, and again in main. */
export function Setup({
  bridge,
  onDone,
  onJoin,
}: {
  readonly bridge: Bridge;
  readonly onDone: (clinic: Clinic) => void;
  readonly onJoin: () => void;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  // Listed zones only, so the picker shows what will be sent (read once, not on every render).
  const [defaultZone] = useState(() => (timeZones().includes(here) ? here : DEFAULT_TIME_ZONE));
  const { register, handleSubmit, formState } = useForm<Fields>({
    resolver: zodResolver(ClinicSetupInput),
    defaultValues: { clinicName: '', managerName: '', passphrase: '', timeZone: defaultZone },
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

        <label htmlFor="timeZone">Clinic time zone</label>
        <TimeZoneSelect id="timeZone" aria-describedby="timezone-hint" aria-invalid={!!errors.timeZone} {...register('timeZone')} />
        <p id="timezone-hint" className="hint">
          Therapists' weekly hours and repeating visits follow the clinic's clocks, also when they change for summer time.
        </p>
        {errors.timeZone && <p className="field-error">{errors.timeZone.message}</p>}

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
