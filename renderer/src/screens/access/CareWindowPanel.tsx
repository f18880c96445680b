import { useState } from 'react';
import { api, CARE_WINDOW_MONTHS_MAX, EMERGENCY_ACCESS_HOURS } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { count } from '../../format.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';

const months = (n: number) => count(n, 'month', 'months');

/** The rule in words, for everyone on the Clinic page. */
const ruleInWords = (n: number) =>
  `A therapist or assistant opens a patient's record as usual when they have a visit with the patient in the past ${months(n)} or one booked; ` +
  `otherwise only by giving a reason (an emergency access, open for ${String(EMERGENCY_ACCESS_HOURS)} hours and reviewed by a manager).`;

/**
 * The care window on the Clinic page (docs/architecture.md#break-the-glass): everyone reads the
 * rule; managers change the number of months (`clinic.carewindow.set`, through settings.update,
 * checked with the contract's own schema before sending and again in main).
 */
export function CareWindowPanel() {
  const { role } = useSession();
  const bridge = useBridge();
  const { state, reload } = useCall('settings.get', {});
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [serverError, setServerError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { formRef, problems } = useInvalidSubmit();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <FormError message={state.error.message} />;
  const current = state.value.careWindowMonths;
  const value = typed ?? String(current);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setStatus(null);
    setServerError(null);
    const text = value.trim();
    const checked = api['settings.update'].input.safeParse({ careWindowMonths: text === '' ? Number.NaN : Number(text) });
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? 'Enter a number of months.');
      problems(1);
      return;
    }
    setError(undefined);
    setBusy(true);
    const result = await bridge.invoke('settings.update', { careWindowMonths: Number(text) });
    setBusy(false);
    if (!result.ok) {
      setServerError(result.error.message);
      return;
    }
    setTyped(null);
    setStatus(`Saved: the care window is ${months(result.value.careWindowMonths)}.`);
    reload();
  };
  return (
    <section className="panel" aria-labelledby="care-window-title">
      <h2 id="care-window-title">Care window</h2>
      <p data-testid="care-window">{ruleInWords(current)}</p>
      {mayCall(role, 'settings.update') && (
        <form ref={formRef} className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="Care window">
          <Field
            id="care-window-months"
            label="Months a visit keeps a patient in a clinician's care"
            hint={`From 1 to ${String(CARE_WINDOW_MONTHS_MAX)} months; 12 until a manager chooses.`}
            error={error}
          >
            {(control) => <input {...control} type="number" inputMode="numeric" value={value} onChange={(e) => setTyped(e.target.value)} />}
          </Field>
          <SubmitBlock error={serverError} status={status} label="Save the care window" busy={busy} busyLabel="Saving…" />
        </form>
      )}
    </section>
  );
}
