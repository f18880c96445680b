import { addDays } from 'date-fns';
import { useMemo, useState } from 'react';
import { NOTE_TYPE_NAMES, NOTE_TYPES, NoteBody } from '../../../../shared/api/index.js';
import type { Note, NoteInput, NoteType } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { shortVisitWhen } from '../../format.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { useCall } from '../../useCall.js';
import { when } from '../../format.js';

const SECTIONS = [
  ['subjective', 'Subjective', 'What the patient reports: symptoms, function, response to the last visit.'],
  ['objective', 'Objective', 'What you measured and observed: range of motion, strength, tests, treatment given.'],
  ['assessment', 'Assessment', 'Your clinical judgement: progress towards goals, changes in the problem.'],
  ['plan', 'Plan', 'Next steps: treatment, frequency, home programme, referrals.'],
] as const;
type Section = (typeof SECTIONS)[number][0];

const visitTime = shortVisitWhen;

/** What was typed in the sections, as the text of an addendum (nothing typed is lost by switching). */
const asAddendum = (text: Record<Section, string>) =>
  SECTIONS.filter(([name]) => text[name].trim() !== '')
    .map(([name, label]) => `${label}: ${text[name].trim()}`)
    .join('\n');

/**
 * Writes and signs one clinical note, checked with the same schema main applies. Signing is final:
 * the form says so, and corrections are made as addenda to the signed note. A visit that already
 * has a signed note is named with that note and the offer of an addendum instead; a second note
 * for it is signed only with an explicit confirmation, which main requires too
 * (docs/architecture.md#clinical-notes).
 */
export function NoteForm(props: {
  readonly patientId: string;
  /** The patient's signed notes, to tell which visits already have one. */
  readonly notes: readonly Note[];
  readonly onSigned: () => void;
  readonly onCancel: () => void;
  /** Closes the form and opens an addendum to `noteHash`, holding `text`. */
  readonly onAddendumInstead: (noteHash: string, text: string) => void;
  /** Brings the signed note `noteHash` into view. */
  readonly onShowNote: (noteHash: string) => void;
}) {
  const bridge = useBridge();
  // The patient's visits of the last 30 days, to link the note to the one it documents.
  const [range] = useState(() => ({ from: addDays(new Date(), -30).getTime(), to: addDays(new Date(), 1).getTime(), now: Date.now() }));
  const { state: visits } = useCall('schedule.range', { from: range.from, to: range.to, patientId: props.patientId });
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
  const [secondNote, setSecondNote] = useState(false);
  const { formRef, problems } = useInvalidSubmit();
  const chosenVisit = visit === undefined ? (recent[0]?.appointmentId ?? null) : visit === '' ? null : visit;
  const documented = (appointmentId: string | null) =>
    appointmentId === null ? [] : props.notes.filter((n) => n.body?.appointmentId === appointmentId).reverse();
  // The visit's first signed note: the one an addendum most likely belongs to.
  const existing = documented(chosenVisit)[0] ?? null;

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
      problems(Object.keys(next).filter((k) => k !== 'form').length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await bridge.invoke('notes.sign', { patientId: props.patientId, note, confirmSecondNote: existing !== null && secondNote });
      if (result.ok) props.onSigned();
      else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="note-form panel" aria-label="Write a clinical note" onSubmit={(e) => void sign(e)} noValidate>
      <h3>Write a note</h3>
      <div className="row">
        <Field className="field" id="note-type" label="Kind of note">
          {(control) => (
            <select {...control} value={type} onChange={(e) => setType(e.target.value as NoteType)}>
              {NOTE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {NOTE_TYPE_NAMES[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field className="field" id="note-visit" label="Visit">
          {(control) => (
            <select
              {...control}
              value={chosenVisit ?? ''}
              onChange={(e) => {
                setVisit(e.target.value);
                setSecondNote(false);
              }}
            >
              <option value="">Not linked to a visit</option>
              {recent.map((v) => (
                <option key={v.appointmentId} value={v.appointmentId}>
                  {visitTime.format(new Date(v.start))} · {v.typeName ?? 'Visit'} · {v.therapistName ?? ''}
                  {documented(v.appointmentId).length > 0 ? ' · has a signed note' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field className="field" id="note-pain" label="Pain now (0–10, optional)" error={errors.pain}>
          {(control) => (
            <input {...control} type="number" min={0} max={10} step={1} inputMode="numeric" value={pain} onChange={(e) => setPain(e.target.value)} />
          )}
        </Field>
      </div>
      {existing && (
        <div className="second-note-warning" role="alert" aria-labelledby="second-note-title">
          <p id="second-note-title">
            <strong>This visit already has a signed note:</strong> {existing.body ? NOTE_TYPE_NAMES[existing.body.type] : 'a note'}, signed{' '}
            {when.format(new Date(existing.at))} by {existing.authorName ?? 'an unknown staff member'}.
          </p>
          {existing.body && (
            <blockquote className="hint">
              {SECTIONS.filter(([name]) => existing.body?.[name])
                .map(([name, label]) => `${label}: ${existing.body?.[name] ?? ''}`)
                .join(' · ')
                .slice(0, 240)}
            </blockquote>
          )}
          <p>To correct or add to it, add an addendum: the signed note stays as it is, with your addendum beneath it.</p>
          <div className="row">
            <button type="button" onClick={() => props.onAddendumInstead(existing.hash, asAddendum(text))}>
              Add an addendum instead
            </button>
            <button type="button" className="secondary" onClick={() => props.onShowNote(existing.hash)}>
              Show that note
            </button>
          </div>
          <label className="check">
            <input type="checkbox" checked={secondNote} onChange={(e) => setSecondNote(e.target.checked)} /> This visit needs a second note (not an
            addendum)
          </label>
        </div>
      )}
      {SECTIONS.map(([name, label, hint]) => (
        <Field className="field" key={name} id={`note-${name}`} label={label} hint={hint} error={errors[name]}>
          {(control) => <textarea {...control} rows={3} value={text[name]} onChange={(e) => setText({ ...text, [name]: e.target.value })} />}
        </Field>
      ))}
      <SubmitBlock
        row
        error={errors.form}
        note={<p className="hint">Signing is final: a signed note cannot be changed. Corrections are added to it as signed addenda.</p>}
        label={existing ? 'Sign a second note' : 'Sign note'}
        busy={busy}
        busyLabel="Signing…"
      >
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
