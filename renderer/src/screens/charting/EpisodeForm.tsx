// Opening or changing an episode of care (docs/architecture.md#episodes-of-care): referral,
// ICD-10-CM diagnoses (searched from the bundled list, or typed), body region, start and end, the
// plan of care with its certification period, the payer and its billing rule, and the goals.
// Therapists only (main's access list says so too). Checked with the schema main applies.
import { useState } from 'react';
import { EpisodeInput } from '../../../../shared/api/index.js';
import type { Episode } from '../../../../shared/api/index.js';
import { BILLING_RULE_NAMES, BILLING_RULES } from '../../../../shared/charting/billing.js';
import type { BillingRule } from '../../../../shared/charting/billing.js';
import { BODY_REGION_NAMES, BODY_REGIONS } from '../../../../shared/charting/common.js';
import type { BodyRegion } from '../../../../shared/charting/common.js';
import { GOAL_STATUSES } from '../../../../shared/ledger/kinds/notes.js';
import type { GoalStatus } from '../../../../shared/ledger/kinds/notes.js';
import { dateInputHint, dateProblem, parseDateInput } from '../../format.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useFocusOnMount } from '../../kit/useFocusOnMount.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { Icd10Combobox } from './Icd10Combobox.js';
import { toEpisodeInput, withPlanDefaults } from './episodeModel.js';
import type { EpisodeFields, GoalFields } from './episodeModel.js';
import { issuesByField } from './model.js';

export const GOAL_STATUS_NAMES: Readonly<Record<GoalStatus, string>> = {
  progressing: 'Progressing',
  met: 'Met',
  not_met: 'Not met',
  discontinued: 'Discontinued',
};

const newGoal = (targetDate: string): GoalFields => ({ term: 'short', text: '', target: '', targetDate, status: 'progressing' });

/** Typed dates that do not parse, by field, with the clinic's pattern in the message. */
function dateErrors(f: EpisodeFields): Record<string, string> {
  const out: Record<string, string> = {};
  const check = (key: string, typed: string, what: string, optional: boolean) => {
    if (optional && typed.trim() === '') return;
    if (parseDateInput(typed) === null) out[key] = dateProblem(what);
  };
  check('referral.date', f.referralDate, 'the referral date', true);
  check('start', f.start, 'the start', false);
  check('end', f.end, 'the end', true);
  check('plan.certFrom', f.certFrom, 'the start of the certification', false);
  check('plan.certTo', f.certTo, 'the end of the certification', false);
  f.goals.forEach((g, i) => check(`goals.${String(i)}.targetDate`, g.targetDate, 'the target date', false));
  return out;
}

export function EpisodeForm(props: {
  readonly patientId: string;
  readonly initial: EpisodeFields;
  readonly onSaved: (episode: Episode) => void;
  readonly onCancel: () => void;
}) {
  const bridge = useBridge();
  const [f, setF] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { formRef, problems } = useInvalidSubmit();
  // The form appears where a button was: its heading takes focus (docs/architecture.md#accessibility).
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const isNew = f.episode === undefined;
  const update = (next: Partial<EpisodeFields>) => setF((old) => withPlanDefaults({ ...old, ...next }));
  const setGoal = (i: number, next: Partial<GoalFields>) => update({ goals: f.goals.map((g, j) => (j === i ? { ...g, ...next } : g)) });
  const err = (key: string) => errors[key] ?? null;

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = toEpisodeInput(f);
    const checked = EpisodeInput.safeParse(input);
    const found = { ...(checked.success ? {} : issuesByField(checked.error.issues)), ...dateErrors(f) };
    if (f.provider.trim() === '' && f.referralDate.trim() !== '') found['referral.provider'] = 'Write the referring provider.';
    if (Object.keys(found).length > 0) {
      setErrors(found);
      problems(Object.keys(found).filter((k) => k !== 'form').length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await bridge.invoke('episodes.save', { patientId: props.patientId, episode: input });
      if (result.ok) props.onSaved(result.value);
      else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  const dateHint = dateInputHint();
  return (
    <form
      ref={formRef}
      className="episode-form panel"
      aria-label={isNew ? 'Open an episode of care' : 'Change the episode of care'}
      onSubmit={(e) => void save(e)}
      noValidate
    >
      <h3 tabIndex={-1} ref={heading}>
        {isNew ? 'Open an episode of care' : 'Change the episode of care'}
      </h3>
      <fieldset>
        <legend>Diagnoses</legend>
        <Icd10Combobox
          id="episode-icd10"
          onPick={(code) => {
            if (!f.diagnoses.some((d) => d.code === code.code)) update({ diagnoses: [...f.diagnoses, { code: code.code, text: code.text }] });
          }}
        />
        {err('diagnoses') && (
          <p className="field-error" role="alert">
            {err('diagnoses')}
          </p>
        )}
        <ul className="diagnoses" aria-label="Diagnoses of the episode">
          {f.diagnoses.map((d, i) => (
            <li key={i} className="measure-fields">
              <Field
                className="field"
                id={`diagnosis-${String(i)}-code`}
                label={`Diagnosis ${String(i + 1)} code`}
                error={err(`diagnoses.${String(i)}.code`)}
              >
                {(control) => (
                  <input
                    {...control}
                    className="mono"
                    value={d.code}
                    onChange={(e) => update({ diagnoses: f.diagnoses.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)) })}
                  />
                )}
              </Field>
              <Field
                className="field wide"
                id={`diagnosis-${String(i)}-text`}
                label={`Diagnosis ${String(i + 1)} description`}
                error={err(`diagnoses.${String(i)}.text`)}
              >
                {(control) => (
                  <input
                    {...control}
                    value={d.text}
                    onChange={(e) => update({ diagnoses: f.diagnoses.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)) })}
                  />
                )}
              </Field>
              <button type="button" className="secondary" onClick={() => update({ diagnoses: f.diagnoses.filter((_, j) => j !== i) })}>
                Remove {d.code || `diagnosis ${String(i + 1)}`}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Episode</legend>
        <Field className="field" id="episode-region" label="Body region" error={err('bodyRegion')}>
          {(control) => (
            <select {...control} value={f.bodyRegion} onChange={(e) => update({ bodyRegion: e.target.value as BodyRegion })}>
              <option value="">Choose…</option>
              {BODY_REGIONS.map((r) => (
                <option key={r} value={r}>
                  {BODY_REGION_NAMES[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field className="field" id="episode-start" label="Start" hint={dateHint} error={err('start')}>
          {(control) => <input {...control} value={f.start} onChange={(e) => update({ start: e.target.value })} />}
        </Field>
        <Field className="field" id="episode-end" label="End (when discharged)" hint={dateHint} error={err('end')}>
          {(control) => <input {...control} value={f.end} onChange={(e) => update({ end: e.target.value })} />}
        </Field>
        <Field className="field" id="episode-provider" label="Referring provider (optional)" error={err('referral.provider')}>
          {(control) => <input {...control} value={f.provider} onChange={(e) => update({ provider: e.target.value })} />}
        </Field>
        <Field className="field" id="episode-referral-date" label="Referral date (optional)" hint={dateHint} error={err('referral.date')}>
          {(control) => <input {...control} value={f.referralDate} onChange={(e) => update({ referralDate: e.target.value })} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Plan of care</legend>
        <Field className="field" id="episode-visits" label="Visits per week" error={err('plan.visitsPerWeek')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={7}
              inputMode="numeric"
              value={f.visitsPerWeek}
              onChange={(e) => update({ visitsPerWeek: e.target.value })}
            />
          )}
        </Field>
        <Field className="field" id="episode-weeks" label="Weeks" error={err('plan.weeks')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={52}
              inputMode="numeric"
              value={f.weeks}
              onChange={(e) => update({ weeks: e.target.value })}
            />
          )}
        </Field>
        <Field className="field" id="episode-cert-from" label="Certified from" hint={dateHint} error={err('plan.certFrom')}>
          {(control) => <input {...control} value={f.certFrom} onChange={(e) => update({ certFrom: e.target.value, certByHand: true })} />}
        </Field>
        <Field
          className="field"
          id="episode-cert-to"
          label="Certified to"
          hint={f.certByHand ? dateHint : `The start plus the weeks of the plan, until you change it (${dateHint}).`}
          error={err('plan.certTo')}
        >
          {(control) => <input {...control} value={f.certTo} onChange={(e) => update({ certTo: e.target.value, certByHand: true })} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Payer</legend>
        <Field className="field" id="episode-payer" label="Payer (optional)" error={err('payer.name')}>
          {(control) => <input {...control} value={f.payerName} onChange={(e) => update({ payerName: e.target.value })} />}
        </Field>
        <Field className="field wide" id="episode-rule" label="Billing rule" error={err('payer.rule')}>
          {(control) => (
            <select {...control} value={f.rule} onChange={(e) => update({ rule: e.target.value as BillingRule })}>
              {BILLING_RULES.map((r) => (
                <option key={r} value={r}>
                  {BILLING_RULE_NAMES[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <fieldset className="goals">
        <legend>Goals</legend>
        {f.goals.length === 0 && <p className="hint">No goals yet.</p>}
        {f.goals.map((g, i) => {
          const at = (k: string) => err(`goals.${String(i)}.${k}`);
          const id = (k: string) => `goal-${String(i)}-${k}`;
          return (
            <fieldset key={i} className="goal">
              <legend>Goal {i + 1}</legend>
              <Field className="field" id={id('term')} label="Term" error={at('term')}>
                {(control) => (
                  <select {...control} value={g.term} onChange={(e) => setGoal(i, { term: e.target.value as 'short' | 'long' })}>
                    <option value="short">Short-term</option>
                    <option value="long">Long-term</option>
                  </select>
                )}
              </Field>
              <Field className="field wide" id={id('text')} label="Goal" error={at('text')}>
                {(control) => <input {...control} value={g.text} onChange={(e) => setGoal(i, { text: e.target.value })} />}
              </Field>
              <Field className="field" id={id('target')} label="Measurable target" hint="e.g. knee flexion 120° or more" error={at('target')}>
                {(control) => <input {...control} value={g.target} onChange={(e) => setGoal(i, { target: e.target.value })} />}
              </Field>
              <Field className="field" id={id('date')} label="Target date" hint={dateHint} error={at('targetDate')}>
                {(control) => <input {...control} value={g.targetDate} onChange={(e) => setGoal(i, { targetDate: e.target.value })} />}
              </Field>
              <Field className="field" id={id('status')} label="Status" error={at('status')}>
                {(control) => (
                  <select {...control} value={g.status} onChange={(e) => setGoal(i, { status: e.target.value as GoalStatus })}>
                    {GOAL_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {GOAL_STATUS_NAMES[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="button" className="secondary" onClick={() => update({ goals: f.goals.filter((_, j) => j !== i) })}>
                Remove goal {i + 1}
              </button>
            </fieldset>
          );
        })}
        <button type="button" className="secondary" onClick={() => update({ goals: [...f.goals, newGoal(f.certTo)] })}>
          Add a goal
        </button>
      </fieldset>
      <SubmitBlock row error={errors.form} label={isNew ? 'Open the episode' : 'Save the episode'} busy={busy} busyLabel="Saving…">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
