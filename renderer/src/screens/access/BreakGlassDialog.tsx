import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, EMERGENCY_ACCESS_HOURS, EMERGENCY_REASON_MAX } from '../../../../shared/api/index.js';
import type { CallOutput } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Dialog } from '../../kit/Dialog.js';
import { Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';

interface ReasonFields {
  reason: string;
}

/**
 * Break-the-glass (docs/architecture.md#break-the-glass): main refused to open a record outside
 * the clinician's care (`outside_care`). The dialog says so in main's words and asks why; the
 * reason is checked with the API's own schema, and `patient.breakGlass` opens the record as an
 * emergency access. Cancel (or Escape) goes back without opening anything.
 */
export function BreakGlassDialog(props: {
  readonly patientId: string;
  /** Main's refusal, which says what the care window is. */
  readonly refusal: string;
  readonly onOpened: (opened: CallOutput<'patient.breakGlass'>) => void;
  readonly onCancel: () => void;
}) {
  const bridge = useBridge();
  const [serverError, setServerError] = useState<string | null>(null);
  const { formRef, problems } = useInvalidSubmit();
  const { register, handleSubmit, formState } = useForm<ReasonFields>({ defaultValues: { reason: '' } });
  const { errors, isSubmitting } = formState;
  const onSubmit = handleSubmit(
    async ({ reason }) => {
      setServerError(null);
      const result = await bridge.invoke('patient.breakGlass', { patientId: props.patientId, reason });
      if (result.ok) props.onOpened(result.value);
      else setServerError(result.error.message);
    },
    (found) => problems(Object.keys(found).length),
  );
  return (
    <Dialog label="Open this record as an emergency access" onClose={props.onCancel}>
      <h2>Open this record as an emergency access?</h2>
      <p>{props.refusal}</p>
      <form ref={formRef} className="form-grid" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Emergency access">
        <Field
          id="emergency-reason"
          label="Why do you need this record now?"
          hint={`Kept in the record's access log and shown to the managers, who review it. At most ${String(EMERGENCY_REASON_MAX)} characters. The record then opens for you for ${String(EMERGENCY_ACCESS_HOURS)} hours.`}
          error={errors.reason?.message}
        >
          {(control) => (
            <textarea
              {...control}
              data-autofocus
              rows={3}
              maxLength={EMERGENCY_REASON_MAX + 50}
              {...register('reason', {
                validate: (v) => {
                  const checked = api['patient.breakGlass'].input.shape.reason.safeParse(v);
                  return checked.success ? true : (checked.error.issues[0]?.message ?? 'Say why you need to open this record.');
                },
              })}
            />
          )}
        </Field>
        <SubmitBlock row danger error={serverError} label="Open as an emergency access" busy={isSubmitting} busyLabel="Opening…">
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </SubmitBlock>
      </form>
    </Dialog>
  );
}
