import { useEffect, useState } from 'react';
import type { PatientSummary } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { useCall } from '../../useCall.js';
import { fromLocalInput, toLocalInput } from './calendar.js';

export interface Bookable {
  readonly therapists: readonly { id: string; name: string }[];
  readonly rooms: readonly { roomId: string; name: string }[];
  readonly types: readonly { typeId: string; name: string; minutes: number }[];
}

/** Book a visit or a weekly series: find the patient, choose therapist, type, room and time. */
export function BookForm(props: {
  readonly bridge: Bridge;
  readonly options: Bookable;
  readonly start: number;
  readonly therapistId: string | null;
  readonly onBooked: () => void;
  readonly onCancel: () => void;
}) {
  const { bridge, options } = props;
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
  const { state: found } = useCall(bridge, 'patient.search', { query: debounced, limit: 8 });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const startMs = fromLocalInput(start);
    if (!patient || startMs === null) {
      setError(patient ? 'Enter the date and time.' : 'Choose the patient.');
      return;
    }
    const result = await bridge.invoke('schedule.book', {
      patientId: patient.patientId,
      therapistId,
      roomId: roomId === '' ? null : roomId,
      typeId,
      start: startMs,
      weeks: Number(weeks),
      allowConflict: force,
    });
    if (result.ok) props.onBooked();
    else {
      setError(result.error.message);
      setForce(result.error.code === 'conflict');
    }
  };

  return (
    <form className="panel form-grid book-form" onSubmit={(e) => void submit(e)} aria-label="Book a visit">
      <h2>Book a visit</h2>
      {patient ? (
        <p>
          Patient: <strong>{`${patient.familyName ?? ''}, ${patient.givenName ?? ''}`}</strong>{' '}
          <button type="button" className="secondary" onClick={() => setPatient(null)}>
            Change
          </button>
        </p>
      ) : (
        <>
          <label htmlFor="book-patient">Patient (name, date of birth or phone)</label>
          <input id="book-patient" autoFocus value={query} onChange={(e) => setQuery(e.target.value)} />
          {found.status === 'ok' && debounced !== '' && (
            <ul className="choices" aria-label="Matching patients">
              {found.value.map((p) => (
                <li key={p.patientId}>
                  <button type="button" className="link" onClick={() => setPatient(p)}>
                    {`${p.familyName ?? ''}, ${p.givenName ?? ''}`} · {p.dateOfBirth ?? ''}
                  </button>
                </li>
              ))}
              {found.value.length === 0 && <li className="hint">No patient matches. Register them on the Patients screen first.</li>}
            </ul>
          )}
        </>
      )}
      <label htmlFor="book-therapist">Therapist</label>
      <select id="book-therapist" value={therapistId} onChange={(e) => setTherapistId(e.target.value)}>
        {options.therapists.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <label htmlFor="book-type">Type</label>
      <select id="book-type" value={typeId} onChange={(e) => setTypeId(e.target.value)}>
        {options.types.map((t) => (
          <option key={t.typeId} value={t.typeId}>
            {t.name} ({t.minutes} min)
          </option>
        ))}
      </select>
      <label htmlFor="book-room">Room or table</label>
      <select id="book-room" value={roomId} onChange={(e) => setRoomId(e.target.value)}>
        <option value="">No particular room</option>
        {options.rooms.map((r) => (
          <option key={r.roomId} value={r.roomId}>
            {r.name}
          </option>
        ))}
      </select>
      <label htmlFor="book-start">Starts</label>
      <input id="book-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
      <label htmlFor="book-weeks">Repeat weekly for (weeks; 1 = a single visit)</label>
      <input id="book-weeks" type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(e.target.value)} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit">{force ? 'Book anyway' : 'Book'}</button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
