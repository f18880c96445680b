// Billing minutes (docs/architecture.md#billing-units): each intervention a CPT code from the list
// (timed or untimed, shown) and its minutes, with a live preview of the units under the episode's
// payer rule, computed by the same function main seals into the note when it is signed.
import { BILLING_RULE_NAMES, CPT_CODES } from '../../../../shared/charting/billing.js';
import type { BillingRule } from '../../../../shared/charting/billing.js';
import { Field } from '../../kit/Field.js';
import { unitsPreview } from './model.js';
import type { InterventionRow } from './model.js';

export function Interventions(props: {
  readonly lines: readonly InterventionRow[];
  readonly rule: BillingRule;
  /** Where the rule comes from ("the episode's payer, Medicare"). */
  readonly ruleFrom: string;
  readonly errors: Readonly<Record<string, string>>;
  readonly onChange: (lines: InterventionRow[]) => void;
}) {
  const { lines, errors } = props;
  const set = (i: number, line: InterventionRow) => props.onChange(lines.map((l, j) => (j === i ? line : l)));
  const preview = unitsPreview(lines, props.rule);
  return (
    <section className="interventions" aria-labelledby="interventions-title">
      <h4 id="interventions-title">Interventions and billing</h4>
      {errors.interventions && <p className="field-error">{errors.interventions}</p>}
      {lines.map((line, i) => {
        const at = (field: string) => errors[`interventions.${String(i)}.${field}`] ?? null;
        return (
          <fieldset key={i} className="intervention">
            <legend>Intervention {i + 1}</legend>
            <div className="measure-fields">
              <Field className="field" id={`intervention-${String(i)}-code`} label="CPT code" error={at('code')}>
                {(control) => (
                  <select {...control} value={line.code} onChange={(e) => set(i, { ...line, code: e.target.value })}>
                    <option value="">Choose…</option>
                    {CPT_CODES.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.code} {c.name} ({c.timed ? 'timed' : 'untimed'})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field className="field" id={`intervention-${String(i)}-minutes`} label="Minutes" error={at('minutes')}>
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={0}
                    max={480}
                    step={1}
                    inputMode="numeric"
                    value={line.minutes}
                    onChange={(e) => set(i, { ...line, minutes: e.target.value })}
                  />
                )}
              </Field>
              <button type="button" className="secondary" onClick={() => props.onChange(lines.filter((_, j) => j !== i))}>
                Remove intervention {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="button" className="secondary" onClick={() => props.onChange([...lines, { code: '', minutes: '' }])}>
        Add an intervention
      </button>
      <p className="hint" data-testid="billing-rule">
        Units by the {BILLING_RULE_NAMES[props.rule]}, {props.ruleFrom}. Main computes them again when the note is signed.
      </p>
      {preview && (
        <table className="grid units-preview" aria-label="Units to bill">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Minutes</th>
              <th scope="col">Units</th>
            </tr>
          </thead>
          <tbody>
            {preview.lines.map((l) => (
              <tr key={l.code}>
                <th scope="row">
                  {l.code} {l.timed ? '' : '(untimed)'}
                </th>
                <td>{l.minutes}</td>
                <td>{l.units}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{preview.totalTimedMinutes} timed</td>
              <td data-testid="total-units">{preview.totalUnits}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
