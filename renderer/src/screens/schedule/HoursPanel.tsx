import { useState } from 'react';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';
import { useSession } from '../../kit/SessionContext.js';
import { actsForOthers } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { dateTimeInputHint, dateTimeProblem, formatTimeOfDay, parseTimeOfDay, timeInputHint, when } from '../../format.js';
import { fromLocalInput } from './calendar.js';
import { zoneName } from '../../../../shared/time.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** ISO weekday of a day name: Monday 1 … Sunday 7. */
const weekday = (day: string) => DAYS.indexOf(day) + 1;
type Hours = Record<number, { start: string; end: string }>;

/**
 * Weekly hours and time off. Managers edit anyone's; therapists and assistants their own. Hours
 * are one block per day, wall-clock times in the clinic's time zone.
 */
export function HoursPanel(props: { readonly therapists: readonly { id: string; name: string }[] }) {
  const bridge = useBridge();
  const session = useSession();
  const forOthers = actsForOthers(session.role);
  const choices = forOthers ? props.therapists : props.therapists.filter((t) => t.id === session.staffId);
  const [picked, setTherapistId] = useState('');
  // The staff list may arrive after the first render: default to the first therapist then.
  const therapistId = choices.some((c) => c.id === picked) ? picked : (choices[0]?.id ?? '');
  const { state, reload } = useCall('schedule.availability', {});
  const [edited, setEdited] = useState<Hours | null>(null);
  const [offFrom, setOffFrom] = useState('');
  const [offTo, setOffTo] = useState('');
  const [offReason, setOffReason] = useState('');
  const [message, setMessage] = useState<OutcomeMessage>(null);
  if (choices.length === 0) return null;

  const saved: Hours = {};
  if (state.status === 'ok') {
    for (const b of state.value.availability.find((a) => a.therapistId === therapistId)?.weekly ?? [])
      saved[b.weekday] = { start: formatTimeOfDay(b.start), end: formatTimeOfDay(b.end) };
  }
  const hours = edited ?? saved;
  const setDay = (weekday: number, part: 'start' | 'end', value: string) => {
    const current = hours[weekday] ?? { start: '', end: '' };
    setEdited({ ...hours, [weekday]: { ...current, [part]: value } });
  };
  /** A day's start or end time, named "Monday from" / "Monday to". */
  const timeInput = (part: 'start' | 'end', word: string) => (day: string) => (
    <input
      aria-label={`${day} ${word}`}
      autoComplete="off"
      size={9}
      value={hours[weekday(day)]?.[part] ?? ''}
      onChange={(e) => setDay(weekday(day), part, e.target.value)}
    />
  );
  const report = (ok: boolean, text: string) => setMessage({ error: !ok, text });

  const saveHours = async (e: React.FormEvent) => {
    e.preventDefault();
    // Typed in the clinic's format ("2:00 PM" or "14:00"), stored as HH:MM.
    const filled = Object.entries(hours).filter(([, h]) => h.start.trim() !== '' && h.end.trim() !== '');
    const unreadable = filled.find(([, h]) => parseTimeOfDay(h.start) === null || parseTimeOfDay(h.end) === null);
    if (unreadable) {
      report(false, `${DAYS[Number(unreadable[0]) - 1] ?? 'A day'}: enter times such as ${timeInputHint().replace('e.g. ', '')}.`);
      return;
    }
    const weekly = filled.map(([weekday, h]) => ({
      weekday: Number(weekday),
      start: parseTimeOfDay(h.start) ?? '',
      end: parseTimeOfDay(h.end) ?? '',
    }));
    const result = await bridge.invoke('schedule.setAvailability', { therapistId, weekly });
    report(result.ok, result.ok ? 'Weekly hours saved.' : result.error.message);
    if (result.ok) {
      setEdited(null);
      reload();
    }
  };
  const addOff = async (e: React.FormEvent) => {
    e.preventDefault();
    const start = fromLocalInput(offFrom);
    const end = fromLocalInput(offTo);
    if (start === null || end === null) {
      report(false, dateTimeProblem(start === null ? 'when the time off starts' : 'when the time off ends'));
      return;
    }
    const result = await bridge.invoke('schedule.addTimeOff', { therapistId, start, end, reason: offReason });
    report(result.ok, result.ok ? 'Time off added.' : result.error.message);
    if (result.ok) reload();
  };
  const removeOff = async (timeoffId: string) => {
    const result = await bridge.invoke('schedule.removeTimeOff', { timeoffId });
    report(result.ok, result.ok ? 'Time off removed.' : result.error.message);
    reload();
  };

  return (
    <section className="panel" aria-labelledby="hours-title">
      <h2 id="hours-title">{forOthers ? "Therapists' hours and time off" : 'My hours and time off'}</h2>
      <Outcome message={message} />
      {choices.length > 1 && (
        <div className="row">
          <Field id="hours-therapist" label="Therapist">
            {(control) => (
              <select
                {...control}
                value={therapistId}
                onChange={(e) => {
                  setTherapistId(e.target.value);
                  setEdited(null);
                }}
              >
                {choices.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <form onSubmit={(e) => void saveHours(e)}>
        <DataTable
          className="hours"
          rows={DAYS}
          rowKey={(day) => day}
          columns={[{ rowHeader: true, cell: (day) => day }, { cell: timeInput('start', 'from') }, { cell: timeInput('end', 'to') }]}
        />
        <p className="hint">
          Times are the clinic's ({zoneName(session.timeZone)}). Leave a day empty when not working. With no hours at all, the clinic's opening hours
          apply.
        </p>
        <button type="submit">Save weekly hours</button>
      </form>
      <form className="row wrap" onSubmit={(e) => void addOff(e)}>
        <Field id="off-from" label="Time off from" hint={dateTimeInputHint()}>
          {(control) => <input {...control} autoComplete="off" value={offFrom} onChange={(e) => setOffFrom(e.target.value)} />}
        </Field>
        <Field id="off-to" label="to">
          {(control) => <input {...control} autoComplete="off" value={offTo} onChange={(e) => setOffTo(e.target.value)} />}
        </Field>
        <Field id="off-reason" label="Reason">
          {(control) => <input {...control} value={offReason} onChange={(e) => setOffReason(e.target.value)} />}
        </Field>
        <button type="submit">Add time off</button>
      </form>
      {state.status === 'ok' && (
        <ul className="timeoff">
          {state.value.timeOff
            .filter((t) => t.therapistId === therapistId)
            .map((t) => (
              <li key={t.timeoffId}>
                {when.format(t.start)} – {when.format(t.end)} {t.reason}{' '}
                <button type="button" className="secondary" onClick={() => void removeOff(t.timeoffId)}>
                  Remove
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
