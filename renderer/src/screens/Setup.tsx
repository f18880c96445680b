import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ClinicSetupInput } from '../../../shared/api/index.js';
import type { Clinic } from '../../../shared/api/index.js';
import { DEFAULT_TIME_ZONE, timeZones } from '../../../shared/time.js';
import { useBridge } from '../kit/BridgeContext.js';
import { Field } from '../kit/Field.js';
import { useInvalidSubmit } from '../kit/useInvalidSubmit.js';
import { SubmitBlock } from '../kit/SubmitBlock.js';
import { browserLocale } from '../format.js';
import { LocaleSelect } from './LocaleSelect.js';
import { TimeZoneSelect } from './TimeZoneSelect.js';

type Fields = { clinicName: string; managerName: string; passphrase: string; timeZone?: string; locale?: string };

/** This computer's time zone, the likely answer for where the clinic is. */
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

const PASSPHRASE_HINT = 'At least 10 characters. A few unrelated words are easy to remember and hard to guess.';
const LOCALE_HINT = 'How every screen writes dates and times, and the order in which dates are typed. Managers can change it later.';
const TIME_ZONE_HINT = "Therapists' weekly hours and repeating visits follow the clinic's clocks, also when they change for summer time.";

/** First run: name the clinic and its first manager. Validated here for speed, and again in main. */
export function Setup({ onDone, onJoin }: { readonly onDone: (clinic: Clinic) => void; readonly onJoin: () => void }) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  // Listed zones only, so the picker shows what will be sent (read once, not on every render).
  const [defaultZone] = useState(() => (timeZones().includes(here) ? here : DEFAULT_TIME_ZONE));
  // The clinic's date and time format defaults to this computer's locale (docs/architecture.md#dates-times-and-the-clinic-locale).
  const [defaultLocale] = useState(browserLocale);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, formState } = useForm<Fields>({
    resolver: zodResolver(ClinicSetupInput),
    defaultValues: { clinicName: '', managerName: '', passphrase: '', timeZone: defaultZone, locale: defaultLocale },
  });
  const { errors, isSubmitting } = formState;

  const submit = handleSubmit(
    async (fields) => {
      setServerError(null);
      const result = await bridge.invoke('clinic.setup', fields);
      if (result.ok) onDone(result.value);
      else setServerError(result.error.message);
    },
    (errors) => problems(Object.keys(errors).length),
  );

  return (
    <main className="centered">
      <form ref={formRef} className="card setup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="setup-title">
        <h1 id="setup-title">Set up your clinic</h1>
        <p className="lead">This computer will keep your clinic's record. You can add staff and devices later.</p>

        <Field id="clinicName" label="Clinic name" error={errors.clinicName?.message}>
          {(control) => <input {...control} autoFocus autoComplete="organization" {...register('clinicName')} />}
        </Field>

        <Field id="managerName" label="Your name (clinic manager)" error={errors.managerName?.message}>
          {(control) => <input {...control} autoComplete="name" {...register('managerName')} />}
        </Field>

        <Field id="passphrase" label="Passphrase" hint={PASSPHRASE_HINT} error={errors.passphrase?.message}>
          {(control) => <input {...control} type="password" autoComplete="new-password" {...register('passphrase')} />}
        </Field>

        <Field id="timeZone" label="Clinic time zone" hint={TIME_ZONE_HINT} error={errors.timeZone?.message}>
          {(control) => <TimeZoneSelect {...control} {...register('timeZone')} />}
        </Field>

        <Field id="locale" label="Date and time format" hint={LOCALE_HINT} error={errors.locale?.message}>
          {(control) => <LocaleSelect {...control} include={defaultLocale} {...register('locale')} />}
        </Field>

        <SubmitBlock error={serverError} label="Set up clinic" busy={isSubmitting} busyLabel="Setting up…" />
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
