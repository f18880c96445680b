import { addDays } from 'date-fns';
import { useMemo, useState } from 'react';
import { NOTE_TYPES, NoteBody } from '../../../../shared/api/index.js';
import type { NoteInput, NoteType } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { useCall } from '../../useCall.js';

export const NOTE_TYPE_NAMES: Readonly<Record<NoteType, string>> = {
  evaluation: 'Initial evaluation',
  daily: 'Daily note (SOAP)',
  progress: 'Progress note',
  discharge: 'Discharge summary',
};

const SECTIONS = [
  ['subjective', 'Subjective', 'What the patient reports: symptoms, function, response to the last visit.'],
  ['objective', 'Objective', 'What you measured and observed: range of motion, strength, tests, treatment given.'],
  ['assessment', 'Assessment', 'Your clinical judgement: progress towards goals, changes in the problem.'],
  ['plan', 'Plan', 'Next steps: treatment, frequency, home programme, referrals.'],
] as const;
type Section = (typeof SECTIONS)[number][0];

const visitTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * Writes and signs one clinical note, checked with the same schema main applies. Signing is final:
 * the form says so, and corrections are made as addenda to the signed note.
 */
export function NoteForm(props: {
  readonly bridge: Bridge;
  readonly patientId: string;
  readonly onSigned: () => void;
  readonly onCancel: () => void;
}) {
  // The patient's visits of the last 30 days, to link the note to the one it documents.
  const [range] = useState(() => ({ from: addDays(new Date(), -30).getTime(), to: addDays(new Date(), 1).getTime(), now: Date.now() }));
  const { state: visits } = useCall(props.bridge, 'schedule.range', { from: range.from, to: range.to, patientId: props.patientId });
  const recent = useMemo(
    () =>
      visits.status === 'ok'
        ? visits.value
            .filter((v) => v.status !== 'cancelled' && v.status !== 'late_cancelled' && v.status !== 'no_show' && v.start <= range.now)
            .reverse()
        : [],
    [visits, range],
  );
  const [type, setType] = useState<NoteType>('daily');
  // undefined: the most recent visit; '': none chosen on purpose.
  const [visit, setVisit] = useState<string | undefined>(undefined);
  const [text, setText] = useState<Record<Section, string>>({ subjective: '', objective: '', assessment: '', plan: '' });
  const [pain, setPain] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Section | 'pain' | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const chosenVisit = visit === undefined ? (recent[0]?.appointmentId ?? null) : visit === '' ? null : visit;

  const sign = async (event: React.FormEvent) => {
    event.preventDefault();
    const painValue = pain.trim() === '' ? null : Number(pain);
    const note: NoteInput = { type, appointmentId: chosenVisit, ...text, pain: painValue };
    const checked = NoteBody.safeParse(note);
    if (!checked.success) {
      const next: typeof errors = {};
      for (const issue of checked.error.issues) {
        const field = (issue.path[0] as Section | 'pain' | undefined) ?? 'form';
        next[field === 'pain' || SECTIONS.some(([s]) => s === field) ? field : 'form'] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await props.bridge.invoke('notes.sign', { patientId: props.patientId, note });
      if (result.ok) props.onSigned();
      else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="note-form panel" aria-label="Write a clinical note" onSubmit={(e) => void sign(e)} noValidate>
      <h3>Write a note</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="note-type">Kind of note</label>
          <select id="note-type" value={type} onChange={(e) => setType(e.target.value as NoteType)}>
            {NOTE_TYPES.map((t) => (
              <option key={t} value={t}>
                {NOTE_TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="note-visit">Visit</label>
          <select id="note-visit" value={chosenVisit ?? ''} onChange={(e) => setVisit(e.target.value)}>
            <option value="">Not linked to a visit</option>
            {recent.map((v) => (
              <option key={v.appointmentId} value={v.appointmentId}>
                {visitTime.format(new Date(v.start))} · {v.typeName ?? 'Visit'} · {v.therapistName ?? ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="note-pain">Pain now (0–10, optional)</label>
          <input
            id="note-pain"
            type="number"
            min={0}
            max={10}
            step={1}
            inputMode="numeric"
            value={pain}
            aria-invalid={errors.pain !== undefined}
            onChange={(e) => setPain(e.target.value)}
          />
          {errors.pain && <p className="field-error">{errors.pain}</p>}
        </div>
      </div>
      {SECTIONS.map(([name, label, hint]) => (
        <div className="field" key={name}>
          <label htmlFor={`note-${name}`}>{label}</label>
          <textarea
            id={`note-${name}`}
            rows={3}
            value={text[name]}
            aria-describedby={`note-${name}-hint`}
            aria-invalid={errors[name] !== undefined}
            onChange={(e) => setText({ ...text, [name]: e.target.value })}
          />
          <p id={`note-${name}-hint`} className="hint">
            {hint}
          </p>
          {errors[name] && <p className="field-error">{errors[name]}</p>}
        </div>
      ))}
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <p className="hint">Signing is final: a signed note cannot be changed. Corrections are added to it as signed addenda.</p>
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Signing…' : 'Sign note'}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
