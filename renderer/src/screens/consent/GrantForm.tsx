// Recording a patient's consent that a trusted clinic sees parts of their record
// (docs/architecture.md#consent-screens), checked with the schema main applies (ConsentGrantInput)
// before it is sent. Dates are typed in the clinic's format (docs/architecture.md#dates-times-and-the-clinic-locale);
// the end is the last day included, stored as the midnight after it.
import { addDays } from 'date-fns';
import { useState } from 'react';
import { CONSENT_CATEGORIES, CONSENT_PURPOSES, ConsentGrantInput } from '../../../../shared/api/calls/consent.js';
import type { ConsentCategory } from '../../../../shared/api/calls/consent.js';
import type { DrawnSignature, StoredConsentDetails } from '../../../../shared/ledger/kinds/consent.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { errorId, Field, hintId } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { dateInputHint, dateProblem, parseDateInput } from '../../format.js';
import { useCall } from '../../useCall.js';
import { SignaturePad } from './SignaturePad.js';
import { CATEGORY_HINTS, CATEGORY_WORDS, categoriesInWords, PURPOSE_WORDS, untilInWords } from './words.js';

type Method = StoredConsentDetails['capture']['method'];
type Problem = 'grantee' | 'categories' | 'from' | 'until' | 'purpose' | 'note' | 'capture' | 'form';

const METHODS: readonly { readonly method: Method; readonly label: string }[] = [
  { method: 'drawn', label: 'The patient signs on this screen' },
  { method: 'paper_form', label: 'A signed paper form' },
  { method: 'verbal', label: 'Verbal consent before a witness' },
];

export function GrantForm(props: { readonly patientId: string; readonly onDone: (message: string) => void; readonly onCancel: () => void }) {
  const { state: clinics } = useCall('network.trustedClinics', {});
  if (clinics.status === 'loading') return <Loading>Finding the trusted clinics…</Loading>;
  if (clinics.status === 'error') return <FormError message={clinics.error.message} />;
  if (clinics.value.length === 0)
    return (
      <>
        <p className="empty">
          This clinic trusts no other clinic yet, so there is no clinic to share with. A manager sets up trust with another clinic on the Network
          page.
        </p>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Close
        </button>
      </>
    );
  return <GrantFields {...props} clinics={clinics.value} />;
}

function GrantFields(props: {
  readonly patientId: string;
  readonly clinics: readonly { readonly id: string; readonly name: string }[];
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}) {
  const bridge = useBridge();
  const { formRef, problems } = useInvalidSubmit();
  const [grantee, setGrantee] = useState(props.clinics.length === 1 ? (props.clinics[0]?.id ?? '') : '');
  const [categories, setCategories] = useState<readonly ConsentCategory[]>([]);
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [purpose, setPurpose] = useState<string>('');
  const [note, setNote] = useState('');
  const [method, setMethod] = useState<Method>('drawn');
  const [reference, setReference] = useState('');
  const [witness, setWitness] = useState('');
  const [signature, setSignature] = useState<DrawnSignature | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Problem, string>>>({});
  const [busy, setBusy] = useState(false);

  const capture =
    method === 'drawn' ? (signature ? { method, signature } : null) : method === 'paper_form' ? { method, reference } : { method, witness };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Problem, string>> = {};
    const fromDay = from.trim() === '' ? null : parseDateInput(from);
    const lastDay = until.trim() === '' ? null : parseDateInput(until);
    if (from.trim() !== '' && !fromDay) next.from = dateProblem('the first day');
    if (until.trim() !== '' && !lastDay) next.until = dateProblem('the last day');
    if (!capture) next.capture = 'Ask the patient to sign in the box, or choose another way they gave consent.';
    const input = {
      patientId: props.patientId,
      grantee,
      categories: [...categories],
      from: fromDay ? fromDay.getTime() : null,
      until: lastDay ? addDays(lastDay, 1).getTime() : null,
      purpose,
      note: note.trim(),
      capture: capture ?? { method: 'verbal', witness: 'x' },
    };
    const checked = ConsentGrantInput.safeParse(input);
    if (!checked.success)
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? 'form');
        const key: Problem = ['grantee', 'categories', 'from', 'until', 'purpose', 'note', 'capture'].includes(field) ? (field as Problem) : 'form';
        next[key] ??=
          key === 'until' && issue.message.startsWith('The end must be after') ? 'The last day must not be before the first day.' : issue.message;
      }
    if (Object.keys(next).length > 0) {
      setErrors(next);
      problems(Object.keys(next).filter((k) => k !== 'form').length);
      return;
    }
    if (!checked.success) return;
    setErrors({});
    setBusy(true);
    try {
      const result = await bridge.invoke('consent.grant', checked.data);
      if (!result.ok) {
        setErrors({ form: result.error.message });
        return;
      }
      const name = props.clinics.find((c) => c.id === grantee)?.name ?? 'The clinic';
      props.onDone(`Consent recorded: ${name} may see ${categoriesInWords(checked.data.categories)} ${untilInWords(checked.data.until)}.`);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (c: ConsentCategory, on: boolean) => setCategories((list) => (on ? [...list, c] : list.filter((x) => x !== c)));
  const categoriesError = errors.categories;
  const captureError = errors.capture;

  return (
    <form ref={formRef} className="form-grid consent-grant" aria-label="Record the patient’s consent" onSubmit={(e) => void submit(e)} noValidate>
      <Field className="field" id="consent-grantee" label="Clinic that may see the record" error={errors.grantee}>
        {(control) => (
          <select {...control} value={grantee} onChange={(e) => setGrantee(e.target.value)}>
            <option value="">Choose a trusted clinic</option>
            {props.clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>

      <fieldset aria-describedby={categoriesError ? errorId('consent-categories') : undefined}>
        <legend>What the clinic may see</legend>
        {CONSENT_CATEGORIES.map((c) => (
          <div className="check" key={c}>
            <input
              type="checkbox"
              id={`consent-category-${c}`}
              checked={categories.includes(c)}
              aria-invalid={categoriesError ? true : undefined}
              aria-describedby={hintId(`consent-category-${c}`)}
              onChange={(e) => toggle(c, e.target.checked)}
            />
            <label htmlFor={`consent-category-${c}`}>
              {CATEGORY_WORDS[c].replace(/^./, (s) => s.toUpperCase())}{' '}
              <span className="hint" id={hintId(`consent-category-${c}`)}>
                {CATEGORY_HINTS[c]}
              </span>
            </label>
          </div>
        ))}
        {categoriesError && (
          <p id={errorId('consent-categories')} className="field-error">
            {categoriesError}
          </p>
        )}
      </fieldset>

      <div className="row">
        <Field className="field" id="consent-from" label="First day" hint={`Empty: from now. ${dateInputHint()}`} error={errors.from}>
          {(control) => <input {...control} value={from} onChange={(e) => setFrom(e.target.value)} autoComplete="off" />}
        </Field>
        <Field
          className="field"
          id="consent-until"
          label="Last day"
          hint={`Empty: until the patient withdraws. ${dateInputHint()}`}
          error={errors.until}
        >
          {(control) => <input {...control} value={until} onChange={(e) => setUntil(e.target.value)} autoComplete="off" />}
        </Field>
      </div>

      <Field className="field" id="consent-purpose" label="Purpose" error={errors.purpose}>
        {(control) => (
          <select {...control} value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            <option value="">Choose the purpose</option>
            {CONSENT_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {PURPOSE_WORDS[p]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field className="field" id="consent-note" label="Note (optional)" hint="Kept sealed with the consent, like its purpose." error={errors.note}>
        {(control) => <textarea {...control} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>

      <fieldset>
        <legend>How the patient gave consent</legend>
        {METHODS.map((m) => (
          <div className="check" key={m.method}>
            <input
              type="radio"
              name="consent-method"
              id={`consent-method-${m.method}`}
              checked={method === m.method}
              onChange={() => {
                setMethod(m.method);
                setErrors((e) => ({ ...e, capture: undefined }));
              }}
            />
            <label htmlFor={`consent-method-${m.method}`}>{m.label}</label>
          </div>
        ))}
        {method === 'drawn' && (
          <>
            <p className="hint" id="consent-signature-hint">
              The patient signs in the box with a mouse, pen or finger. Without a pointer, record a signed paper form or verbal consent before a
              witness instead.
            </p>
            <SignaturePad
              id="consent-signature"
              value={signature}
              onChange={(s) => {
                setSignature(s);
                if (s) setErrors((e) => ({ ...e, capture: undefined }));
              }}
              error={captureError}
              describedBy={['consent-signature-hint', captureError ? 'consent-signature-error' : null].filter(Boolean).join(' ')}
            />
          </>
        )}
        {method === 'paper_form' && (
          <Field
            className="field"
            id="consent-reference"
            label="Where the signed form is filed"
            hint="e.g. Consent folder, 2026, no. 41"
            error={captureError}
          >
            {(control) => <input {...control} value={reference} onChange={(e) => setReference(e.target.value)} />}
          </Field>
        )}
        {method === 'verbal' && (
          <Field
            className="field"
            id="consent-witness"
            label="Witness’s name"
            hint="The staff member or other person who heard the patient consent."
            error={captureError}
          >
            {(control) => <input {...control} value={witness} onChange={(e) => setWitness(e.target.value)} />}
          </Field>
        )}
      </fieldset>

      <SubmitBlock row error={errors.form} label="Record consent" busy={busy} busyLabel="Recording…">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
