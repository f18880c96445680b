import { addDays, endOfDay, isSameDay, startOfDay } from 'date-fns';
import { useEffect, useRef, useState } from 'react';
import type { Appointment, AppointmentStatus } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import type { Column } from '../../kit/DataTable.js';
import { FormError } from '../../kit/FormError.js';
import { useSession } from '../../kit/SessionContext.js';
import { isClinician } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { dateInputHint, dayHeading, formatDateInput, parseDateInput, timeOnly } from '../../format.js';
import { STATUS_LABEL } from './calendar.js';
import { formatDateOfBirth } from './patientIdentity.js';
import { PatientName } from './PatientName.js';
import './schedule.css';

// Written in the clinic's locale (format.ts).
const time = (ms: number) => timeOnly.format(ms);
const dayTitle = (day: Date) => dayHeading.format(day);

const GROUPS: readonly { title: string; statuses: readonly AppointmentStatus[] }[] = [
  { title: 'Arriving', statuses: ['booked'] },
  { title: 'Checked in', statuses: ['checked_in'] },
  { title: 'Done', statuses: ['completed'] },
  { title: 'No-shows and cancellations', statuses: ['no_show', 'cancelled', 'late_cancelled'] },
];

/**
 * A day's list, today unless another day is chosen: the front desk sees everyone's arrivals; a
 * therapist sees their own day. Each patient shows their date of birth and opens their record.
 */
export function TodayScreen() {
  const bridge = useBridge();
  const session = useSession();
  const mine = isClinician(session.role);
  const [day, setDay] = useState(() => startOfDay(new Date()));
  const { state, reload } = useCall('schedule.range', {
    from: startOfDay(day).getTime(),
    to: endOfDay(day).getTime(),
    ...(mine ? { therapistId: session.staffId } : {}),
  });
  const [error, setError] = useState<string | null>(null);
  // The day typed in the clinic's date format (format.ts); applied on Enter or when leaving the field.
  const [typedDay, setTypedDay] = useState<string | null>(null);
  const [dayProblem, setDayProblem] = useState<string | null>(null);
  // A no-show being undone on this list: the front desk gives the reason here (docs/architecture.md#schedule).
  const [undoing, setUndoing] = useState<{ id: string; reason: string; problem: string | null } | null>(null);
  const today = isSameDay(day, new Date());
  const announce = useAnnounce();
  const page = useRef<HTMLElement>(null);
  // The visit whose row just moved to another group: focus follows it (docs/architecture.md#accessibility).
  const follow = useRef<{ id: string; group: string } | null>(null);

  const set = async (a: Appointment, status: 'checked_in' | 'no_show' | 'completed') => {
    const result = await bridge.invoke('schedule.setStatus', { appointmentId: a.appointmentId, status, reason: null, scope: 'one' });
    setError(result.ok ? null : result.error.message);
    if (result.ok) {
      follow.current = { id: a.appointmentId, group: GROUPS.find((g) => g.statuses.includes(status))?.title ?? '' };
      announce(`${a.patientName ?? 'Patient'}: ${STATUS_LABEL[status]?.toLowerCase() ?? status}.`);
    }
    reload();
  };
  const go = (next: Date) => {
    setError(null);
    setTypedDay(null);
    setDayProblem(null);
    setDay(startOfDay(next));
  };
  const applyTypedDay = () => {
    if (typedDay === null) return;
    const picked = parseDateInput(typedDay);
    if (picked) go(picked);
    else setDayProblem(`Type a date like ${dateInputHint().replace(/^e\.g\. /, '')}.`);
  };
  const undoNoShow = async (a: Appointment) => {
    const reason = undoing?.id === a.appointmentId ? undoing.reason.trim() : '';
    if (reason === '') {
      setUndoing({ id: a.appointmentId, reason: '', problem: 'Give a reason for undoing the no-show.' });
      document.getElementById(`undo-reason-${a.appointmentId}`)?.focus();
      return;
    }
    const result = await bridge.invoke('schedule.setStatus', { appointmentId: a.appointmentId, status: 'booked', reason, scope: 'one' });
    if (!result.ok) {
      setUndoing({ id: a.appointmentId, reason, problem: result.error.message });
      return;
    }
    setUndoing(null);
    follow.current = { id: a.appointmentId, group: 'Arriving' };
    announce(`${a.patientName ?? 'Patient'}: no-show undone.`);
    reload();
  };
  useEffect(() => {
    const target = follow.current;
    if (!target || state.status !== 'ok') return;
    follow.current = null;
    // Its next step (Complete after Check in), else the heading of the group it joined.
    const next =
      page.current?.querySelector<HTMLElement>(`[data-visit="${target.id}"]`) ??
      page.current?.querySelector<HTMLElement>(`[data-group="${target.group}"]`);
    next?.focus();
  }, [state]);

  const list = state.status === 'ok' ? state.value : [];
  const columns: readonly Column<Appointment>[] = [
    { header: 'Time', className: 'nowrap', cell: (a) => time(a.start) },
    { header: 'Patient', rowHeader: true, cell: (a) => <PatientName patient={a} birth="elsewhere" /> },
    { header: 'Date of birth', className: 'nowrap', cell: (a) => (a.patientDateOfBirth ? formatDateOfBirth(a.patientDateOfBirth) : '—') },
    { header: 'Type', cell: (a) => a.typeName ?? '—' },
    ...(mine ? [] : [{ header: 'Therapist', cell: (a: Appointment) => a.therapistName ?? '—' }]),
    { header: 'Room', cell: (a) => a.roomName ?? '—' },
    { header: 'Status', cell: (a) => `${STATUS_LABEL[a.status] ?? a.status}${a.statusReason ? ` — ${a.statusReason}` : ''}` },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (a) => (
        <div className="row-actions">
          {a.status === 'booked' && (
            <>
              <button type="button" data-visit={a.appointmentId} onClick={() => void set(a, 'checked_in')}>
                Check in
              </button>
              <button type="button" className="secondary" onClick={() => void set(a, 'no_show')}>
                No-show
              </button>
            </>
          )}
          {a.status === 'checked_in' && (
            <button type="button" data-visit={a.appointmentId} onClick={() => void set(a, 'completed')}>
              Complete
            </button>
          )}
          {a.status === 'no_show' && undoing?.id !== a.appointmentId && (
            <button type="button" className="secondary" onClick={() => setUndoing({ id: a.appointmentId, reason: '', problem: null })}>
              Undo no-show
            </button>
          )}
          {a.status === 'no_show' && undoing?.id === a.appointmentId && (
            <form
              className="row undo-no-show"
              noValidate
              aria-label={`Undo the no-show of ${a.patientName ?? 'this patient'}`}
              onSubmit={(e) => {
                e.preventDefault();
                void undoNoShow(a);
              }}
            >
              <label htmlFor={`undo-reason-${a.appointmentId}`}>Reason for undoing</label>
              <input
                id={`undo-reason-${a.appointmentId}`}
                autoFocus
                value={undoing.reason}
                aria-invalid={undoing.problem ? true : undefined}
                aria-describedby={undoing.problem ? `undo-reason-${a.appointmentId}-error` : undefined}
                onChange={(e) => setUndoing({ ...undoing, reason: e.target.value })}
              />
              <button type="submit">Undo</button>
              <button type="button" className="secondary" onClick={() => setUndoing(null)}>
                Keep the no-show
              </button>
              {undoing.problem && (
                <p id={`undo-reason-${a.appointmentId}-error`} className="form-error" role="alert">
                  {undoing.problem}
                </p>
              )}
            </form>
          )}
        </div>
      ),
    },
  ];
  return (
    <section aria-labelledby="today-title" className="today" ref={page}>
      <div className="row heading-row wrap">
        <h1 id="today-title">
          {today ? (mine ? 'My day' : 'Today') : mine ? 'My day' : 'Visits'} — {dayTitle(day)}
        </h1>
        <div className="row day-picker" role="group" aria-label="Choose the day">
          <button type="button" className="secondary" onClick={() => go(addDays(day, -1))}>
            ← Previous day
          </button>
          <label className="visually-hidden" htmlFor="today-date">
            Day
          </label>
          <input
            id="today-date"
            size={11}
            value={typedDay ?? formatDateInput(day)}
            title={dateInputHint()}
            aria-invalid={dayProblem ? true : undefined}
            aria-describedby={dayProblem ? 'today-date-error' : undefined}
            onChange={(e) => {
              setTypedDay(e.target.value);
              setDayProblem(null);
            }}
            onBlur={applyTypedDay}
            onKeyDown={(e) => {
              if (e.key === 'Enter') applyTypedDay();
            }}
          />
          <button type="button" className="secondary" onClick={() => go(addDays(day, 1))}>
            Next day →
          </button>
          {!today && (
            <button type="button" className="secondary" onClick={() => go(new Date())}>
              Back to today
            </button>
          )}
        </div>
      </div>
      {dayProblem && (
        <p id="today-date-error" className="form-error" role="alert">
          {dayProblem}
        </p>
      )}
      <FormError message={error} />
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && list.length === 0 && <p className="empty">No visits {today ? 'today' : 'on this day'}.</p>}
      {GROUPS.map((g) => {
        const rows = list.filter((a) => g.statuses.includes(a.status));
        if (rows.length === 0) return null;
        const id = `today-${g.statuses[0] ?? 'group'}`;
        return (
          <section key={g.title} aria-label={g.title}>
            <h2 id={id} tabIndex={-1} data-group={g.title}>
              {g.title} ({rows.length})
            </h2>
            <DataTable className="day-list" labelledBy={id} rows={rows} rowKey={(a) => a.appointmentId} columns={columns} />
          </section>
        );
      })}
    </section>
  );
}
