import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { api } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import type { TrustHandshake } from './TrustFormat.js';

/** The API's own input schema: the form checks exactly what main will check. */
const AcceptInput = api['network.acceptInvite'].input;
type AcceptFields = z.input<typeof AcceptInput>;
type AcceptValues = z.output<typeof AcceptInput>;

/** Answers another clinic's invitation: its code and the signalling address its manager gives. */
export function TrustAcceptForm({ onAccepted }: { readonly onAccepted: (handshake: TrustHandshake) => void }) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, reset, formState } = useForm<AcceptFields, unknown, AcceptValues>({
    resolver: zodResolver(AcceptInput),
    defaultValues: { code: '', signaling: '' },
  });
  const { errors, isSubmitting } = formState;
  const submit = handleSubmit(
    async (values) => {
      setServerError(null);
      const result = await bridge.invoke('network.acceptInvite', values);
      if (!result.ok) {
        setServerError(result.error.message);
        return;
      }
      reset();
      onAccepted(result.value);
    },
    (errors) => problems(Object.keys(errors).length),
  );
  return (
    <form ref={formRef} className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="trust-accept-title">
      <h3 id="trust-accept-title">Accept an invitation</h3>
      <p className="hint">When another clinic’s manager invites this clinic, enter the code and the signalling address they give you.</p>
      <Field id="trust-code" label="Invitation code" error={errors.code?.message}>
        {(control) => (
          <input {...control} className="mono" autoComplete="off" spellCheck={false} placeholder="7K3M-Q9TX-2BHD" {...register('code')} />
        )}
      </Field>
      <Field id="trust-signaling" label="Signalling server" error={errors.signaling?.message}>
        {(control) => (
          <input
            {...control}
            className="mono"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            placeholder="ws://192.168.1.20:4444"
            {...register('signaling')}
          />
        )}
      </Field>
      <SubmitBlock error={serverError} label="Accept invitation" busy={isSubmitting} busyLabel="Reaching the other clinic…" />
    </form>
  );
}
