import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Resolver, ResolverResult } from 'react-hook-form';
import type { z } from 'zod';
import { api } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';

/** The API's own input schema: the form checks exactly what main will check. */
const SetSignalingInput = api['network.setSignaling'].input;
type SignalingValues = z.output<typeof SetSignalingInput>;
interface SignalingFields {
  readonly servers: string;
}

const toList = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** One address a line; each problem is named with the address it is about. */
function check(fields: SignalingFields): ResolverResult<SignalingFields, SignalingValues> {
  const list = toList(fields.servers);
  const parsed = SetSignalingInput.safeParse({ signaling: list });
  if (parsed.success) return { values: parsed.data, errors: {} };
  const message = parsed.error.issues
    .map((issue) => {
      const index = issue.path[1];
      if (typeof index === 'number') return `“${list[index] ?? ''}”: ${issue.message}`;
      return issue.code === 'too_big' ? 'Enter at most 8 signalling servers.' : issue.message;
    })
    .join(' ');
  return { values: {}, errors: { servers: { type: 'validate', message } } };
}
const resolver: Resolver<SignalingFields, unknown, SignalingValues> = check;

/** Sets the signalling servers (one address a line) through which the clinic's devices find each other. */
export function SignalingForm({
  current,
  onSaved,
}: {
  readonly current: readonly string[];
  readonly onSaved: (signaling: readonly string[]) => void;
}) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, reset, formState } = useForm<SignalingFields, unknown, SignalingValues>({
    resolver,
    defaultValues: { servers: current.join('\n') },
  });
  const { errors, isSubmitting } = formState;
  const submit = handleSubmit(
    async (values) => {
      setServerError(null);
      setSaved(null);
      const result = await bridge.invoke('network.setSignaling', values);
      if (!result.ok) {
        setServerError(result.error.message);
        return;
      }
      reset({ servers: result.value.signaling.join('\n') });
      setSaved(`Saved. This device finds the clinic’s other devices through ${result.value.signaling.join(', ')}.`);
      onSaved(result.value.signaling);
    },
    (errors) => problems(Object.keys(errors).length),
  );
  return (
    <form ref={formRef} className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        id="signaling-servers"
        label="Signalling servers (one address a line)"
        hint={
          <>
            Start one on any computer of the clinic with <code>movelog signal</code>, then enter the address it prints, like ws://192.168.1.20:4444.
            Every device of the clinic needs at least one server in common.
          </>
        }
        error={errors.servers?.message}
        errorRole="alert"
      >
        {(control) => (
          <textarea
            {...control}
            className="mono"
            rows={Math.max(3, current.length + 1)}
            spellCheck={false}
            autoCapitalize="off"
            placeholder="ws://192.168.1.20:4444"
            {...register('servers')}
          />
        )}
      </Field>
      <SubmitBlock error={serverError} status={saved} label="Save signalling servers" busy={isSubmitting} busyLabel="Saving…" />
    </form>
  );
}
