// Recording that the patient withdrew consent (docs/architecture.md#consent-screens): for one
// grant, or for a clinic and the parts of the record chosen, always with the reason. Checked with
// the schema main applies (ConsentRevokeInput).
import { useState } from 'react';
import { CONSENT_CATEGORIES, ConsentRevokeInput } from '../../../../shared/api/calls/consent.js';
import type { ConsentCategory } from '../../../../shared/api/calls/consent.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { errorId, Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { CATEGORY_WORDS, categoriesInWords } from './words.js';

type Problem = 'categories' | 'reason' | 'form';

export function WithdrawForm(props: {
  readonly patientId: string;
  readonly clinicId: string;
  readonly clinicName: string;
  /** One grant (its entry hash), or null: every grant to the clinic for the categories ticked. */
  readonly grant: string | null;
  /** The grant's categories, or what the clinic may see now (all ticked to start with). */
  readonly categories: readonly ConsentCategory[];
  readonly onCancel: () => void;
  readonly onDone: (message: string) => void;
}) {
  const bridge = useBridge();
  const { formRef, problems } = useInvalidSubmit();
  const [chosen, setChosen] = useState<readonly ConsentCategory[]>(props.categories);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Problem, string>>>({});
  const [busy, setBusy] = useState(false);
  const id = `withdraw-${props.grant ?? props.clinicId}`.slice(0, 40);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const checked = ConsentRevokeInput.safeParse({
      patientId: props.patientId,
      clinic: props.clinicId,
      grant: props.grant,
      categories: props.grant === null ? [...chosen] : [...props.categories],
      reason,
    });
    if (!checked.success) {
      const next: Partial<Record<Problem, string>> = {};
      for (const issue of checked.error.issues) {
        const field = issue.path[0];
        next[field === 'categories' || field === 'reason' ? field : 'form'] ??= issue.message;
      }
      setErrors(next);
      problems(Object.keys(next).filter((k) => k !== 'form').length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await bridge.invoke('consent.revoke', checked.data);
      if (result.ok) props.onDone(`Withdrawal recorded: ${props.clinicName} no longer sees ${categoriesInWords(checked.data.categories)}.`);
      else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  const label = props.grant === null ? `Withdraw consent for ${props.clinicName}` : `Withdraw this consent for ${props.clinicName}`;
  return (
    <form
      ref={formRef}
      className="form-grid"
      aria-label={label}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
      }}
    >
      <p>
        {props.grant === null
          ? `${props.clinicName} stops receiving the parts ticked below at once, and its computers lock what they received.`
          : `${props.clinicName} stops receiving ${categoriesInWords(props.categories)} under this consent at once, and its computers lock what they received.`}{' '}
        What was delivered was delivered: this cannot reach copies made outside Movelog.
      </p>
      {props.grant === null && (
        <fieldset aria-describedby={errors.categories ? errorId(`${id}-categories`) : undefined}>
          <legend>Parts of the record to withdraw</legend>
          {CONSENT_CATEGORIES.filter((c) => props.categories.includes(c)).map((c) => (
            <div className="check" key={c}>
              <input
                type="checkbox"
                id={`${id}-${c}`}
                checked={chosen.includes(c)}
                aria-invalid={errors.categories ? true : undefined}
                onChange={(e) => setChosen((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
              />
              <label htmlFor={`${id}-${c}`}>{CATEGORY_WORDS[c].replace(/^./, (s) => s.toUpperCase())}</label>
            </div>
          ))}
          {errors.categories && (
            <p id={errorId(`${id}-categories`)} className="field-error">
              {errors.categories}
            </p>
          )}
        </fieldset>
      )}
      <Field id={`${id}-reason`} label="Reason (kept in the record)" error={errors.reason}>
        {(control) => (
          <input {...control} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder="The patient asked to stop sharing" />
        )}
      </Field>
      <SubmitBlock row danger error={errors.form} label="Record withdrawal" busy={busy} busyLabel="Recording…">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
