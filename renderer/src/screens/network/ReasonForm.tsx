import { useState } from 'react';
import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Field } from '../../kit/Field.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';

interface ReasonFields {
  reason: string;
}

/**
 * "Are you sure? Say why": the confirmation for an action that is recorded with a reason and
 * cannot be undone (removing a device, withdrawing trust). `send` makes the call; a refusal shows
 * its message, and nothing changes.
 */
export function ReasonForm(props: {
  readonly id: string;
  readonly label: string;
  readonly question: ReactNode;
  readonly placeholder: string;
  /** What to say when no reason is given. */
  readonly missing: string;
  readonly submit: string;
  readonly submitting: string;
  readonly send: (reason: string) => Promise<{ ok: true } | { ok: false; error: { message: string } }>;
  readonly onCancel: () => void;
  readonly onDone: () => void;
}) {
  const { id, label, question, placeholder, missing, submit, submitting, send, onCancel, onDone } = props;
  const [serverError, setServerError] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, formState } = useForm<ReasonFields>({ defaultValues: { reason: '' } });
  const { errors, isSubmitting } = formState;
  const onSubmit = handleSubmit(
    async ({ reason }) => {
      setServerError(null);
      const result = await send(reason.trim());
      if (result.ok) onDone();
      else setServerError(result.error.message);
    },
    (errors) => problems(Object.keys(errors).length),
  );
  return (
    <form
      ref={formRef}
      className="form-grid"
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      noValidate
      aria-label={label}
    >
      <p>{question}</p>
      <Field id={id} label="Reason (kept in the record)" error={errors.reason?.message}>
        {(control) => (
          <input
            {...control}
            autoFocus
            placeholder={placeholder}
            {...register('reason', {
              validate: (v) => (v.trim().length === 0 ? missing : v.trim().length > 200 ? 'Keep the reason under 200 characters.' : true),
            })}
          />
        )}
      </Field>
      <SubmitBlock row danger error={serverError} label={submit} busy={isSubmitting} busyLabel={submitting}>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
