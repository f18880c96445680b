import { useEffect, useRef, useState } from 'react';
import type { Appointment, PatientSummary } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { useCall } from '../../useCall.js';
import { fromLocalInput, toLocalInput } from './calendar.js';
import { formatDateOfBirth, namesakesAmong, namesakeWarning } from './patientIdentity.js';

export interface Bookable {
  readonly therapists: readonly { id: string; name: string }[];
  readonly rooms: readonly { roomId: string; name: string }[];
  readonly types: readonly { typeId: string; name: string; minutes: number }[];
}

/** Book a visit or a weekly series: find the patient, choose therapist, type, room and time. */
export function BookForm(props: {
  readonly options: Bookable;
  readonly start: number;
  readonly therapistId: string | null;
  readonly onBooked: (booked: readonly Appointment[]) => void;
  readonly onCancel: () => void;
}) {
  const { options } = props;
  const bridge = useBridge();
  const announce = useAnnounce();
  const { formRef, problems } = useInvalidSubmit();
  const therapistRef = useRef<HTMLSelectElement>(null);
  const patientRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<{ field: 'patient' | 'start'; message: string } | null>(null);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [therapistId, setTherapistId] = useState(props.therapistId ?? options.therapists[0]?.id ?? '');
  const [typeId, setTypeId] = useState(options.types[0]?.typeId ?? '');
  const [roomId, setRoomId] = useState('');
  const [start, setStart] = useState(toLocalInput(props.start));
  const [weeks, setWeeks] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(query), 150);
    return () => window.clearTimeout(t);
  }, [query]);
  const { state: found } = useCall('patient.search', { query: debounced, limit: 8 });
  // Patients found with the same name are told apart by their date of birth (docs/architecture.md#patient-identifiers).
  const namesakes = found.status === 'ok' ? namesakesAmong(found.value) : new Map<string, number>();
  const born = (p: PatientSummary) => (p.dateOfBirth ? `born ${formatDateOfBirth(p.dateOfBirth)}` : 'date of birth unknown');

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const startMs = fromLocalInput(start);
    if (!patient || startMs === null) {
      // Marked on its field (aria-invalid, aria-describedby), focused and announced.
      setProblem(patient ? { field: 'start', message: 'Enter the date and time.' } : { field: 'patient', message: 'Choose the patient.' });
      problems(1);
      return;
    }
    setProblem(null);
    const result = await bridge.invoke('schedule.book', {
      patientId: patient.patientId,
      therapistId,
      roomId: roomId === '' ? null : roomId,
      typeId,
      start: startMs,
      weeks: Number(weeks),
      allowConflict: force,
    });
    if (result.ok) props.onBooked(result.value);
    else {
      setError(result.error.message);
      setForce(result.error.code === 'conflict');
    }
  };

  /** Picking a patient: the search gives way to the choice, so focus goes on to the next field and the choice is said. */
  const pick = (p: PatientSummary) => {
    setPatient(p);
    setProblem(null);
    announce(`Patient chosen: ${p.familyName ?? ''}, ${p.givenName ?? ''}.`);
    window.requestAnimationFrame(() => therapistRef.current?.focus());
  };
  const changing = useRef(false);
  const change = () => {
    changing.current = true;
    setPatient(null);
  };
  useEffect(() => {
    // After the render that brought the search field back.
    if (patient === null && changing.current) {
      changing.current = false;
      patientRef.current?.focus();
    }
  }, [patient]);

  /** A labelled drop-down of `[value, text]` choices. */
  const choice = (
    id: string,
    label: string,
    value: string,
    set: (value: string) => void,
    items: readonly (readonly [string, string])[],
    ref?: React.Ref<HTMLSelectElement>,
  ) => (
    <Field id={id} label={label}>
      {(control) => (
        <select {...control} ref={ref} value={value} onChange={(e) => set(e.target.value)}>
          {items.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form ref={formRef} className="form-grid book-form" onSubmit={(e) => void submit(e)} aria-label="Book a visit" noValidate>
      <h2>Book a visit</h2>
      {patient ? (
        <p>
          Patient: <strong>{`${patient.familyName ?? ''}, ${patient.givenName ?? ''}`}</strong>, {born(patient)}{' '}
          <button type="button" className="secondary" onClick={change}>
            Change
          </button>
        </p>
      ) : (
        <>
          <Field id="book-patient" label="Patient (name, date of birth or phone)" error={problem?.field === 'patient' ? problem.message : null}>
            {(control) => <input {...control} ref={patientRef} autoFocus value={query} onChange={(e) => setQuery(e.target.value)} />}
          </Field>
          {found.status === 'ok' && debounced !== '' && (
            <ul className="choices" aria-label="Matching patients">
              {found.value.map((p) => {
                const warning = namesakeWarning(namesakes.get(p.patientId) ?? 0);
                return (
                  <li key={p.patientId}>
                    <button type="button" className="link" onClick={() => pick(p)}>
                      {`${p.familyName ?? ''}, ${p.givenName ?? ''}`} · {born(p)}
                    </button>
                    {warning && <span className="namesake-warning">{warning}</span>}
                  </li>
                );
              })}
              {found.value.length === 0 && <li className="hint">No patient matches. Register them on the Patients screen first.</li>}
            </ul>
          )}
        </>
      )}
      {choice(
        'book-therapist',
        'Therapist',
        therapistId,
        setTherapistId,
        options.therapists.map((t) => [t.id, t.name]),
        therapistRef,
      )}
      {choice(
        'book-type',
        'Type',
        typeId,
        setTypeId,
        options.types.map((t) => [t.typeId, `${t.name} (${t.minutes} min)`]),
      )}
      {choice('book-room', 'Room or table', roomId, setRoomId, [
        ['', 'No particular room'],
        ...options.rooms.map((r) => [r.roomId, r.name] as const),
      ])}
      <Field id="book-start" label="Starts" error={problem?.field === 'start' ? problem.message : null}>
        {(control) => <input {...control} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />}
      </Field>
      <Field id="book-weeks" label="Repeat weekly for (weeks; 1 = a single visit)">
        {(control) => <input {...control} type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(e.target.value)} />}
      </Field>
      <SubmitBlock row error={error} label={force ? 'Book anyway' : 'Book'}>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </SubmitBlock>
    </form>
  );
}
