import { endOfDay, startOfDay } from 'date-fns';
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
import { STATUS_LABEL } from './calendar.js';
import './schedule.css';

const time = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

const GROUPS: readonly { title: string; statuses: readonly AppointmentStatus[] }[] = [
  { title: 'Arriving', statuses: ['booked'] },
  { title: 'Checked in', statuses: ['checked_in'] },
  { title: 'Done', statuses: ['completed'] },
  { title: 'No-shows and cancellations', statuses: ['no_show', 'cancelled', 'late_cancelled'] },
];

/** Today's list: the front desk sees everyone's arrivals; a therapist sees their own day. */
export function TodayScreen() {
  const bridge = useBridge();
  const session = useSession();
  const mine = isClinician(session.role);
  const [day] = useState(() => new Date());
  const { state, reload } = useCall('schedule.range', {
    from: startOfDay(day).getTime(),
    to: endOfDay(day).getTime(),
    ...(mine ? { therapistId: session.staffId } : {}),
  });
  const [error, setError] = useState<string | null>(null);
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
    { cell: (a) => time(a.start) },
    { cell: (a) => a.patientName ?? 'Patient' },
    { cell: (a) => a.typeName },
    { cell: (a) => a.therapistName },
    { cell: (a) => a.roomName ?? '—' },
    { cell: (a) => STATUS_LABEL[a.status] },
    {
      className: 'actions',
      cell: (a) => (
        <>
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
        </>
      ),
    },
  ];
  return (
    <section aria-labelledby="today-title" ref={page}>
      <h1 id="today-title">
        {mine ? 'My day' : 'Today'} — {day.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' })}
      </h1>
      <FormError message={error} />
      {state.status === 'ok' && list.length === 0 && <p className="empty">No visits today.</p>}
      {GROUPS.map((g) => {
        const rows = list.filter((a) => g.statuses.includes(a.status));
        if (rows.length === 0) return null;
        return (
          <section key={g.title} aria-label={g.title}>
            <h2 tabIndex={-1} data-group={g.title}>
              {g.title} ({rows.length})
            </h2>
            <DataTable rows={rows} rowKey={(a) => a.appointmentId} columns={columns} />
          </section>
        );
      })}
    </section>
  );
}
