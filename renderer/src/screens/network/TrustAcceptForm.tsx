import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { api } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import type { TrustHandshake } from './TrustFormat.js';

/** The API's own input schema: the form checks exactly what main will check. */
const AcceptInput = api['network.acceptInvite'].input;
type AcceptFields = z.input<typeof AcceptInput>;
type AcceptValues = z.output<typeof AcceptInput>;

/** Answers another clinic's invitation: its code and the signalling address its manager gives. */
export function TrustAcceptForm({ bridge, onAccepted }: { readonly bridge: Bridge; readonly onAccepted: (handshake: TrustHandshake) => void }) {
  const [serverError, setServerError] = useState<string | null>(null);
  const { register, handleSubmit, reset, formState } = useForm<AcceptFields, unknown, AcceptValues>({
    resolver: zodResolver(AcceptInput),
    defaultValues: { code: '', signaling: '' },
  });
  const { errors, isSubmitting } = formState;
  const submit = handleSubmit(async (values) => {
    setServerError(null);
    const result = await bridge.invoke('network.acceptInvite', values);
    if (!result.ok) {
      setServerError(result.error.message);
      return;
    }
    reset();
    onAccepted(result.value);
  });
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="trust-accept-title">
      <h3 id="trust-accept-title">Accept an invitation</h3>
      <p className="hint">When another clinic’s manager invites this clinic, enter the code and the signalling address they give you.</p>
      <label htmlFor="trust-code">Invitation code</label>
      <input
        id="trust-code"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        placeholder="7K3M-Q9TX-2BHD"
        aria-invalid={!!errors.code}
        aria-describedby={errors.code ? 'trust-code-error' : undefined}
        {...register('code')}
      />
      {errors.code && (
        <p id="trust-code-error" className="field-error">
          {errors.code.message}
        </p>
      )}
      <label htmlFor="trust-signaling">Signalling server</label>
      <input
        id="trust-signaling"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        placeholder="ws://192.168.1.20:4444"
        aria-invalid={!!errors.signaling}
        aria-describedby={errors.signaling ? 'trust-signaling-error' : undefined}
        {...register('signaling')}
      />
      {errors.signaling && (
        <p id="trust-signaling-error" className="field-error">
          {errors.signaling.message}
        </p>
      )}
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Reaching the other clinic…' : 'Accept invitation'}
      </button>
    </form>
  );
}
