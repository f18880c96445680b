// The structured measures of a note (docs/architecture.md#measures): pain, range of motion, manual
// muscle testing and outcome questionnaires, each a group of labelled controls (never free text),
// with its side; the range of motion shows the normal range beside the value and flags a limit,
// and a questionnaire shows its live score or what keeps it from being scored.
import { SIDE_NAMES, SIDES } from '../../../../shared/charting/common.js';
import type { Side } from '../../../../shared/charting/common.js';
import { MMT_GRADES, MUSCLE_GROUPS } from '../../../../shared/charting/mmt.js';
import { INSTRUMENTS, OUTCOME_INSTRUMENTS } from '../../../../shared/charting/outcomes.js';
import type { OutcomeInstrument } from '../../../../shared/charting/outcomes.js';
import { assessRom, ROM_NORMALS, ROM_SOURCE, romNormal } from '../../../../shared/charting/rom.js';
import { Field } from '../../kit/Field.js';
import { blankItems, newMeasure, outcomeLine, typedNumber, withRomMotion } from './model.js';
import type { MeasureKind, MeasureRow, SideChoice } from './model.js';

const KIND_NAMES: Readonly<Record<MeasureKind, string>> = {
  pain: 'Pain',
  rom: 'Range of motion',
  mmt: 'Muscle test',
  outcome: 'Outcome questionnaire',
};

const sideName = (s: Side) => (s === 'none' ? 'No side (midline or whole body)' : SIDE_NAMES[s]);

type Errors = Readonly<Record<string, string>>;

/** The measures list with its "Add" buttons. */
export function MeasureEditors(props: {
  readonly measures: readonly MeasureRow[];
  readonly errors: Errors;
  readonly onChange: (measures: MeasureRow[]) => void;
}) {
  const { measures, errors } = props;
  const set = (i: number, row: MeasureRow) => props.onChange(measures.map((m, j) => (j === i ? row : m)));
  const remove = (i: number) => props.onChange(measures.filter((_, j) => j !== i));
  // "Pain", then "Pain 2" for a second one of the same kind, so each group has its own name.
  const seen = new Map<string, number>();
  return (
    <section className="measures" aria-labelledby="measures-title">
      <h4 id="measures-title">Measures</h4>
      {measures.length === 0 && <p className="hint">No measures yet: add the ones you took at this visit.</p>}
      {measures.map((m, i) => {
        const base = m.kind === 'outcome' ? INSTRUMENTS[m.instrument].name : KIND_NAMES[m.kind];
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const name = n === 1 ? base : `${base} ${String(n)}`;
        const at = (field: string) => errors[`measures.${String(i)}.${field}`] ?? null;
        const id = (field: string) => `measure-${String(i)}-${field}`;
        return (
          <fieldset key={i} className="measure">
            <legend>{name}</legend>
            {m.kind === 'pain' && <PainEditor row={m} id={id} at={at} onChange={(r) => set(i, r)} />}
            {m.kind === 'rom' && <RomEditor row={m} id={id} at={at} onChange={(r) => set(i, r)} />}
            {m.kind === 'mmt' && <MmtEditor row={m} id={id} at={at} onChange={(r) => set(i, r)} />}
            {m.kind === 'outcome' && <OutcomeEditor row={m} id={id} at={at} onChange={(r) => set(i, r)} />}
            <button type="button" className="secondary" onClick={() => remove(i)}>
              Remove {name.toLowerCase()}
            </button>
          </fieldset>
        );
      })}
      <div className="row" role="group" aria-label="Add a measure">
        {(['pain', 'rom', 'mmt', 'outcome'] as const).map((kind) => (
          <button key={kind} type="button" className="secondary" onClick={() => props.onChange([...measures, newMeasure(kind)])}>
            Add {KIND_NAMES[kind].toLowerCase()}
          </button>
        ))}
      </div>
      {measures.some((m) => m.kind === 'rom') && <p className="hint">Normal ranges: {ROM_SOURCE}</p>}
    </section>
  );
}

interface EditorProps<K extends MeasureKind> {
  readonly row: Extract<MeasureRow, { kind: K }>;
  readonly id: (field: string) => string;
  readonly at: (field: string) => string | null;
  readonly onChange: (row: MeasureRow) => void;
}

function SideSelect(props: {
  readonly id: string;
  readonly value: SideChoice;
  readonly error: string | null;
  readonly sides: readonly Side[];
  readonly onChange: (side: Side) => void;
}) {
  return (
    <Field className="field" id={props.id} label="Side" error={props.error}>
      {(control) => (
        <select {...control} value={props.value} onChange={(e) => props.onChange(e.target.value as Side)}>
          {props.value === '' && <option value="">Choose…</option>}
          {props.sides.map((s) => (
            <option key={s} value={s}>
              {sideName(s)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PainEditor({ row, id, at, onChange }: EditorProps<'pain'>) {
  return (
    <div className="measure-fields">
      <Field className="field" id={id('value')} label="Pain (0–10, NPRS)" error={at('value')}>
        {(control) => (
          <input
            {...control}
            type="number"
            min={0}
            max={10}
            step={1}
            inputMode="numeric"
            value={row.value}
            onChange={(e) => onChange({ ...row, value: e.target.value })}
          />
        )}
      </Field>
      <SideSelect id={id('side')} value={row.side} error={at('side')} sides={SIDES} onChange={(side) => onChange({ ...row, side })} />
      <Field className="field" id={id('site')} label="Where (optional)" error={at('site')}>
        {(control) => <input {...control} maxLength={60} value={row.site} onChange={(e) => onChange({ ...row, site: e.target.value })} />}
      </Field>
    </div>
  );
}

const joints = [...new Map(ROM_NORMALS.map((r) => [r.joint, r.jointName])).entries()];

function RomEditor({ row, id, at, onChange }: EditorProps<'rom'>) {
  const normal = romNormal(row.joint, row.motion);
  const degrees = typedNumber(row.degrees);
  const assessed = normal && degrees !== null && Number.isInteger(degrees) ? assessRom(row.joint, row.motion, degrees) : null;
  return (
    <div className="measure-fields">
      <Field className="field" id={id('joint')} label="Joint" error={at('joint')}>
        {(control) => (
          <select {...control} value={row.joint} onChange={(e) => onChange(withRomMotion(row, e.target.value, ''))}>
            <option value="">Choose…</option>
            {joints.map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field className="field" id={id('motion')} label="Motion" error={at('motion')}>
        {(control) => (
          <select {...control} value={row.motion} onChange={(e) => onChange(withRomMotion(row, row.joint, e.target.value))}>
            <option value="">Choose…</option>
            {ROM_NORMALS.filter((r) => r.joint === row.joint).map((r) => (
              <option key={r.motion} value={r.motion}>
                {r.motionName}
              </option>
            ))}
          </select>
        )}
      </Field>
      {normal?.midline ? (
        <p className="field measure-fixed">Side: none (a midline motion)</p>
      ) : (
        <SideSelect
          id={id('side')}
          value={row.side}
          error={at('side')}
          sides={['left', 'right', 'bilateral']}
          onChange={(side) => onChange({ ...row, side })}
        />
      )}
      <Field className="field" id={id('mode')} label="Active or passive" error={at('mode')}>
        {(control) => (
          <select {...control} value={row.mode} onChange={(e) => onChange({ ...row, mode: e.target.value as 'active' | 'passive' })}>
            <option value="active">Active</option>
            <option value="passive">Passive</option>
          </select>
        )}
      </Field>
      <Field
        className="field"
        id={id('degrees')}
        label="Degrees"
        hint={normal ? `Normal: ${String(normal.normal)}°` : undefined}
        error={at('degrees')}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            min={-90}
            max={360}
            step={1}
            inputMode="numeric"
            value={row.degrees}
            onChange={(e) => onChange({ ...row, degrees: e.target.value })}
          />
        )}
      </Field>
      {assessed && (
        <p className={assessed.limited ? 'badge warn rom-flag' : 'badge rom-flag'} data-testid="rom-flag">
          {assessed.limited ? `Limited: ${String(assessed.deficit)}° short of normal` : 'Within normal range'}
        </p>
      )}
    </div>
  );
}

function MmtEditor({ row, id, at, onChange }: EditorProps<'mmt'>) {
  return (
    <div className="measure-fields">
      <Field className="field" id={id('muscle')} label="Muscle group" error={at('muscle')}>
        {(control) => (
          <select {...control} value={row.muscle} onChange={(e) => onChange({ ...row, muscle: e.target.value })}>
            <option value="">Choose…</option>
            {MUSCLE_GROUPS.map((g) => (
              <option key={g.key} value={g.key}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <SideSelect id={id('side')} value={row.side} error={at('side')} sides={SIDES} onChange={(side) => onChange({ ...row, side })} />
      <Field className="field" id={id('grade')} label="Grade (0–5)" error={at('grade')}>
        {(control) => (
          <select {...control} value={row.grade} onChange={(e) => onChange({ ...row, grade: e.target.value })}>
            <option value="">Choose…</option>
            {MMT_GRADES.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function OutcomeEditor({ row, id, at, onChange }: EditorProps<'outcome'>) {
  const spec = INSTRUMENTS[row.instrument];
  const line = outcomeLine(row.instrument, row.items);
  return (
    <div className="outcome">
      <Field className="field" id={id('instrument')} label="Questionnaire" error={at('instrument') ?? at('items')}>
        {(control) => (
          <select
            {...control}
            value={row.instrument}
            onChange={(e) => {
              const instrument = e.target.value as OutcomeInstrument;
              onChange({ ...row, instrument, items: blankItems(instrument) });
            }}
          >
            {OUTCOME_INSTRUMENTS.map((o) => (
              <option key={o} value={o}>
                {INSTRUMENTS[o].name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ol className="outcome-items">
        {spec.items.map((item, i) => (
          <li key={i}>
            <fieldset className="outcome-item">
              <legend>{item.label}</legend>
              {item.options.map((option, j) => {
                const value = spec.minResponse + j;
                return (
                  <label key={j} className="check">
                    <input
                      type="radio"
                      name={`${id('item')}-${String(i)}`}
                      checked={row.items[i] === value}
                      onChange={() => onChange({ ...row, items: row.items.map((v, k) => (k === i ? value : v)) })}
                    />{' '}
                    {option}
                  </label>
                );
              })}
            </fieldset>
          </li>
        ))}
      </ol>
      <p className={line.ok ? 'outcome-score' : 'outcome-score hint'} aria-live="polite" data-testid="outcome-score">
        {line.text}
      </p>
      <p className="hint">
        Scored as published: {spec.scoringSource}. Minimal clinically important difference {String(spec.mcid)} {spec.unit === '%' ? '%' : 'points'} (
        {spec.mcidSource}).
      </p>
    </div>
  );
}
