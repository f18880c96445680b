import { useEffect, useRef, useState } from 'react';
import type { Appointment, PatientSummary } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { dateOnly, dateTimeInputHint, dateTimeProblem, timeOnly, when } from '../../format.js';
import { useCall } from '../../useCall.js';
import { useNow } from './useNow.js';
import { fromLocalInput, toLocalInput } from './calendar.js';
import { formatDateOfBirth, namesakesAmong, namesakeWarning } from './patientIdentity.js';
import { sharedLine } from '../consent/words.js';

export interface Bookable {
  readonly therapists: readonly { id: string; name: string }[];
  readonly rooms: readonly { roomId: string; name: string }[];
  readonly types: readonly { typeId: string; name: string; minutes: number }[];
}

const patientName = (p: PatientSummary) => `${p.familyName ?? ''}, ${p.givenName ?? ''}`;

/**
 * Book a visit or a weekly series: find the patient (or come with one chosen), choose therapist,
 * type, room and time. Without a `start` the time defaults to the next free slot in the therapist's
 * or the clinic's hours (`schedule.nextFree`) until the person picks one. A time that has passed
 * needs "Record a past visit" ticked (main refuses it otherwise). Once booked, the form gives way
 * to what was booked, with an Undo that cancels it (docs/architecture.md#schedule).
 */
export function BookForm(props: {
  readonly options: Bookable;
  /** null: the next free slot. */
  readonly start: number | null;
  readonly therapistId: string | null;
  readonly patient?: PatientSummary | null;
  /** After booking (the confirmation then shows): the caller reloads what it shows and may announce it. */
  readonly onBooked: (booked: readonly Appointment[]) => void;
  /** After Undo cancelled the booking. */
  readonly onUndone: () => void;
  /** Closes the form (or the confirmation). */
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
  const [patient, setPatient] = useState<PatientSummary | null>(props.patient ?? null);
  const [pickedTherapist, setTherapistId] = useState(props.therapistId ?? '');
  const [pickedType, setTypeId] = useState('');
  const [roomId, setRoomId] = useState('');
  const [start, setStart] = useState(props.start === null ? '' : toLocalInput(props.start));
  const [startChosen, setStartChosen] = useState(props.start !== null);
  const [weeks, setWeeks] = useState('1');
  const [recordPast, setRecordPast] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const [booked, setBooked] = useState<readonly Appointment[] | null>(null);
  const [undone, setUndone] = useState(false);
  const confirmationRef = useRef<HTMLHeadingElement>(null);
  const now = useNow();
  // The staff, type and room lists may arrive after the first render: default to the first then.
  const therapistId = options.therapists.some((t) => t.id === pickedTherapist) ? pickedTherapist : (options.therapists[0]?.id ?? '');
  const typeId = options.types.some((t) => t.typeId === pickedType) ? pickedType : (options.types[0]?.typeId ?? '');
  const minutes = options.types.find((t) => t.typeId === typeId)?.minutes ?? null;
  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(query), 150);
    return () => window.clearTimeout(t);
  }, [query]);
  const { state: found } = useCall('patient.search', { query: debounced, limit: 8 });
  // Patients found with the same name are told apart by their date of birth (docs/architecture.md#patient-identifiers).
  const namesakes = found.status === 'ok' ? namesakesAmong(found.value) : new Map<string, number>();
  const born = (p: PatientSummary) => (p.dateOfBirth ? `born ${formatDateOfBirth(p.dateOfBirth)}` : 'date of birth unknown');

  // Until the person picks a time, follow the next free slot for the chosen therapist, room and length.
  useEffect(() => {
    if (startChosen || therapistId === '' || minutes === null) return;
    let live = true;
    void bridge.invoke('schedule.nextFree', { therapistId, roomId: roomId === '' ? null : roomId, minutes }).then((r) => {
      if (live && r.ok && r.value.start !== null) setStart(toLocalInput(r.value.start));
    });
    return () => {
      live = false;
    };
  }, [bridge, startChosen, therapistId, roomId, minutes]);
  // The confirmation replaces the form: focus goes to its heading, so it is read and Undo is one Tab away.
  useEffect(() => {
    if (booked) confirmationRef.current?.focus();
  }, [booked, undone]);

  const startMs = fromLocalInput(start);
  const inPast = startMs !== null && startMs < now;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!patient || startMs === null) {
      // Marked on its field (aria-invalid, aria-describedby), focused and announced.
      setProblem(
        patient ? { field: 'start', message: dateTimeProblem('when the visit starts') } : { field: 'patient', message: 'Choose the patient.' },
      );
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
      allowPast: inPast && recordPast,
    });
    if (result.ok) {
      setError(null);
      setBooked(result.value);
      props.onBooked(result.value);
    } else {
      setError(result.error.message);
      setForce(result.error.code === 'conflict');
    }
  };

  const undo = async (visits: readonly Appointment[]) => {
    const first = visits[0];
    if (!first) return;
    // The whole booking (every visit of a new series): a cancellation recorded as a booking error, never a late one.
    const result = await bridge.invoke('schedule.setStatus', {
      appointmentId: first.appointmentId,
      status: 'cancelled',
      reason: null,
      scope: 'following',
      bookedInError: true,
    });
    if (result.ok) {
      setUndone(true);
      setError(null);
      announce('Booking undone: the visit is cancelled.');
      props.onUndone();
    } else setError(result.error.message);
  };

  /** Picking a patient: the search gives way to the choice, so focus goes on to the next field and the choice is said. */
  const pick = (p: PatientSummary) => {
    setPatient(p);
    setProblem(null);
    announce(`Patient chosen: ${patientName(p)}.`);
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

  if (booked) {
    const first = booked[0];
    const last = booked[booked.length - 1];
    return (
      <section className="book-confirmation" aria-labelledby="booked-title">
        <h2 id="booked-title" tabIndex={-1} ref={confirmationRef}>
          {undone ? 'Booking undone' : 'Visit booked'}
        </h2>
        {first && last && (
          <p data-testid="booked-summary">
            {undone ? 'Cancelled: ' : ''}
            <strong>{first.patientName ?? 'Patient'}</strong> with {first.therapistName ?? 'the therapist'}, {when.format(first.start)}–
            {timeOnly.format(first.end)}, {first.roomName ?? 'no particular room'}, {first.typeName ?? 'visit'}
            {booked.length > 1 ? ` — weekly, ${String(booked.length)} visits until ${dateOnly.format(last.start)}` : ''}.
          </p>
        )}
        <FormError message={error} />
        <div className="row">
          {!undone && (
            <button type="button" className="secondary" onClick={() => void undo(booked)}>
              Undo
            </button>
          )}
          <button type="button" onClick={props.onCancel}>
            Close
          </button>
        </div>
      </section>
    );
  }

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
          Patient: <strong>{patientName(patient)}</strong>, {born(patient)}
          {patient.sharing && !patient.sharing.locked && ` (${sharedLine(patient.sharing)})`}{' '}
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
                      {patientName(p)} · {born(p)}
                    </button>
                    {warning && <span className="namesake-warning">{warning}</span>}
                    {p.sharing && <span className="shared-tag">{p.sharing.locked ? 'Consent ended: record locked' : sharedLine(p.sharing)}</span>}
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
        options.types.map((t) => [t.typeId, `${t.name} (${String(t.minutes)} min)`]),
      )}
      {choice('book-room', 'Room or table', roomId, setRoomId, [
        ['', 'No particular room'],
        ...options.rooms.map((r) => [r.roomId, r.name] as const),
      ])}
      <Field id="book-start" label="Starts" hint={dateTimeInputHint()} error={problem?.field === 'start' ? problem.message : null}>
        {(control) => (
          <input
            {...control}
            autoComplete="off"
            value={start}
            onChange={(e) => {
              setStart(e.target.value);
              setStartChosen(true);
            }}
          />
        )}
      </Field>
      {inPast && (
        <label className="checkbox">
          <input type="checkbox" checked={recordPast} onChange={(e) => setRecordPast(e.target.checked)} /> Record a past visit (this time has already
          passed)
        </label>
      )}
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
