import { useRef, useState } from 'react';
import type { Appointment, VisitEvent } from '../../../../shared/api/index.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { useSession } from '../../kit/SessionContext.js';
import { mayCall } from '../../roles.js';
import { dateTimeInputHint, dateTimeProblem, timeOnly, visitWhen, when as stamp } from '../../format.js';
import { useCall } from '../../useCall.js';
import { useNow } from './useNow.js';
import { fromLocalInput, STATUS_LABEL, toLocalInput } from './calendar.js';
import { PatientName } from './PatientName.js';

// Written in the clinic's locale (format.ts).
const when = visitWhen;

/** One line of a visit's signed history: what happened, when, by whom, and why. */
function historyLine(h: VisitEvent): string {
  const what =
    h.kind === 'booked'
      ? `Booked for ${when.format(h.start ?? h.at)}`
      : h.kind === 'moved'
        ? `Moved to ${when.format(h.start ?? h.at)}`
        : h.status === 'booked'
          ? 'Back to booked'
          : (STATUS_LABEL[h.status ?? ''] ?? 'Status changed');
  return `${what} — ${stamp.format(h.at)}${h.byName ? ` by ${h.byName}` : ''}${h.reason ? ` (${h.reason})` : ''}`;
}

/** One visit: who, when, and what can be recorded or changed. */
export function AppointmentPanel(props: { readonly appointment: Appointment; readonly onChanged: () => void; readonly onClose: () => void }) {
  const { appointment: a } = props;
  const bridge = useBridge();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<'one' | 'following'>('one');
  const [newStart, setNewStart] = useState(toLocalInput(a.start));
  const [forceMove, setForceMove] = useState(false);
  const [movePast, setMovePast] = useState(false);
  const now = useNow();
  const [undoReason, setUndoReason] = useState('');
  // The visit's signed history, reloaded whenever the visit as shown changes.
  const { state: history } = useCall(
    'schedule.history',
    { appointmentId: a.appointmentId },
    `${a.status}-${String(a.start)}-${a.statusReason ?? ''}`,
  );
  // "Enter the new time as a date and time such as …" belongs to the New time field (WCAG 2.2 SC 3.3.1).
  const [noTime, setNoTime] = useState(false);
  const newTimeRef = useRef<HTMLInputElement>(null);
  const schedules = mayCall(session.role, 'schedule.book');
  const own = a.therapistId === session.staffId;

  const status = async (next: 'booked' | 'checked_in' | 'completed' | 'no_show' | 'cancelled') => {
    setError(null);
    // Undoing (back to booked) records the undo reason; cancelling records the cancellation reason.
    const given = next === 'booked' ? undoReason : reason;
    const result = await bridge.invoke('schedule.setStatus', {
      appointmentId: a.appointmentId,
      status: next,
      reason: given.trim() === '' ? null : given,
      scope,
    });
    if (result.ok) {
      setUndoReason('');
      props.onChanged();
    } else setError(result.error.message);
  };
  const movingToPast = (fromLocalInput(newStart) ?? Number.POSITIVE_INFINITY) < now;
  const move = async () => {
    const start = fromLocalInput(newStart);
    if (start === null) {
      setNoTime(true);
      newTimeRef.current?.focus();
      return;
    }
    setNoTime(false);
    const result = await bridge.invoke('schedule.move', {
      appointmentId: a.appointmentId,
      start,
      scope,
      allowConflict: forceMove,
      allowPast: movingToPast && movePast,
    });
    if (result.ok) {
      setForceMove(false);
      props.onChanged();
    } else {
      setError(result.error.message);
      setForceMove(result.error.code === 'conflict');
    }
  };

  return (
    <div className="appointment-panel">
      <div className="row heading-row">
        <h2 tabIndex={-1} data-autofocus>
          <PatientName patient={a} />
        </h2>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p>
        {visitWhen.format(a.start)} – {timeOnly.format(a.end)}
        <br />
        {a.typeName ?? 'Visit'} with {a.therapistName ?? 'therapist'}
        {a.roomName ? `, ${a.roomName}` : ''}
        <br />
        <strong data-testid="appointment-status">{STATUS_LABEL[a.status]}</strong>
        {a.statusReason ? ` — ${a.statusReason}` : ''}
        {a.seriesId && <span className="tag">weekly series</span>}
        {a.conflict && <span className="tag danger">double booked</span>}
      </p>
      <FormError message={error} />
      {a.seriesId && (
        <fieldset className="scope">
          <legend>Apply to</legend>
          <label>
            <input type="radio" name="scope" checked={scope === 'one'} onChange={() => setScope('one')} /> This visit
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === 'following'} onChange={() => setScope('following')} /> This and following visits
          </label>
        </fieldset>
      )}
      <div className="row wrap">
        {a.status === 'booked' && (schedules || own) && (
          <>
            <button type="button" onClick={() => void status('checked_in')}>
              Check in
            </button>
            <button type="button" className="secondary" onClick={() => void status('no_show')}>
              No-show
            </button>
          </>
        )}
        {a.status === 'checked_in' && (schedules || own) && (
          <button type="button" onClick={() => void status('completed')}>
            Complete
          </button>
        )}
      </div>
      {schedules && a.status !== 'booked' && a.status !== 'completed' && (
        <div className="row wrap">
          <Field
            id="undo-reason"
            label={a.status === 'checked_in' || a.status === 'no_show' ? 'Reason for undoing (required)' : 'Reason for undoing'}
          >
            {(control) => <input {...control} value={undoReason} onChange={(e) => setUndoReason(e.target.value)} />}
          </Field>
          <button type="button" className="secondary" onClick={() => void status('booked')}>
            Undo ({STATUS_LABEL[a.status]})
          </button>
        </div>
      )}
      {schedules && a.status === 'booked' && (
        <>
          <div className="row wrap">
            <Field id="cancel-reason" label="Cancellation reason">
              {(control) => <input {...control} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <button type="button" className="secondary" onClick={() => void status('cancelled')}>
              Cancel visit
            </button>
          </div>
          <div className="row wrap">
            <Field
              id="move-start"
              label="New time"
              hint={dateTimeInputHint()}
              error={noTime ? dateTimeProblem('the new time') : null}
              errorRole="alert"
            >
              {(control) => <input {...control} ref={newTimeRef} autoComplete="off" value={newStart} onChange={(e) => setNewStart(e.target.value)} />}
            </Field>
            <button type="button" className="secondary" onClick={() => void move()}>
              {forceMove ? 'Move anyway' : 'Move'}
            </button>
          </div>
          {movingToPast && (
            <label className="checkbox">
              <input type="checkbox" checked={movePast} onChange={(e) => setMovePast(e.target.checked)} /> Record a past visit (the new time has
              already passed)
            </label>
          )}
        </>
      )}
      {history.status === 'ok' && history.value.length > 0 && (
        <section aria-labelledby="visit-history-title">
          <h3 id="visit-history-title">History</h3>
          <ol className="history" data-testid="visit-history">
            {history.value.map((h, i) => (
              <li key={`${String(h.at)}-${String(i)}`}>{historyLine(h)}</li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
