import { addDays, endOfDay, endOfWeek, startOfDay, startOfWeek } from 'date-fns';
import { useMemo, useState } from 'react';
import { Calendar, Views } from 'react-big-calendar';
import type { View } from 'react-big-calendar';
import withDragAndDropExport from 'react-big-calendar/lib/addons/dragAndDrop';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import type { Appointment, Session } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { useCall } from '../../useCall.js';
import { AppointmentPanel } from './AppointmentPanel.js';
import { BookForm } from './BookForm.js';
import { localizer, STATUS_LABEL } from './calendar.js';
import { HoursPanel } from './HoursPanel.js';
import { ScheduleSetup } from './ScheduleSetup.js';
import './schedule.css';

interface CalendarEvent {
  readonly id: string;
  readonly title: string;
  readonly start: Date;
  readonly end: Date;
  readonly resourceId: string;
  readonly appointment: Appointment;
}
interface Resource {
  readonly id: string;
  readonly title: string;
}

// The add-on is CommonJS with an `exports.default`; depending on the bundler's interop the default
// import is the function itself or the module object around it.
const withDragAndDrop = (withDragAndDropExport as unknown as { default?: typeof withDragAndDropExport }).default ?? withDragAndDropExport;
const DnDCalendar = withDragAndDrop<CalendarEvent, Resource>(Calendar);

/** Day and week views by therapist or by room; drag to move; click a free slot to book. */
export function ScheduleScreen({ bridge, session }: { readonly bridge: Bridge; readonly session: Session }) {
  const [date, setDate] = useState(() => new Date());
  const [view, setView] = useState<View>(Views.WEEK);
  const [groupBy, setGroupBy] = useState<'therapist' | 'room' | 'none'>('none');
  const [selected, setSelected] = useState<string | null>(null);
  const [booking, setBooking] = useState<{ start: number; therapistId: string | null } | null>(null);
  const [notice, setNotice] = useState<{ text: string; retry: (() => void) | null } | null>(null);
  const range = view === Views.DAY ? { from: startOfDay(date).getTime(), to: endOfDay(date).getTime() } : { from: startOfWeek(date, { weekStartsOn: 1 }).getTime(), to: addDays(endOfWeek(date, { weekStartsOn: 1 }), 1).getTime() };
  const { state, reload } = useCall(bridge, 'schedule.range', range);
  const { state: staff } = useCall(bridge, 'session.choices', {});
  const { state: rooms, reload: reloadRooms } = useCall(bridge, 'schedule.rooms', {});
  const { state: types, reload: reloadTypes } = useCall(bridge, 'schedule.types', {});
  const { state: conflicts, reload: reloadConflicts } = useCall(bridge, 'schedule.conflicts', { from: range.from });

  const therapists = useMemo(() => (staff.status === 'ok' ? staff.value.filter((s) => s.role === 'therapist' || s.role === 'assistant') : []), [staff]);
  const activeRooms = rooms.status === 'ok' ? rooms.value.filter((r) => r.active) : [];
  const activeTypes = types.status === 'ok' ? types.value.filter((t) => t.active) : [];
  const appointments = state.status === 'ok' ? state.value : [];
  const schedules = session.role === 'front_desk' || session.role === 'manager';

  const resources: Resource[] | undefined =
    groupBy === 'therapist' ? therapists.map((t) => ({ id: t.id, title: t.name })) : groupBy === 'room' ? activeRooms.map((r) => ({ id: r.roomId, title: r.name })) : undefined;
  const events: CalendarEvent[] = appointments
    .filter((a) => a.status !== 'cancelled' && a.status !== 'late_cancelled')
    .map((a) => ({
      id: a.appointmentId,
      title: `${a.patientName ?? 'Patient'} · ${a.typeName ?? ''}${a.status === 'booked' ? '' : ` (${STATUS_LABEL[a.status] ?? a.status})`}`,
      start: new Date(a.start),
      end: new Date(a.end),
      resourceId: groupBy === 'room' ? (a.roomId ?? '') : a.therapistId,
      appointment: a,
    }));
  const refresh = () => {
    reload();
    reloadConflicts();
  };

  const move = async (args: EventInteractionArgs<CalendarEvent>, allowConflict: boolean) => {
    const a = args.event.appointment;
    const resource = args.resourceId === undefined ? undefined : String(args.resourceId);
    const result = await bridge.invoke('schedule.move', {
      appointmentId: a.appointmentId,
      start: new Date(args.start).getTime(),
      scope: 'one',
      allowConflict,
      ...(groupBy === 'therapist' && resource ? { therapistId: resource } : {}),
      ...(groupBy === 'room' && resource ? { roomId: resource } : {}),
    });
    if (result.ok) setNotice(null);
    else setNotice({ text: result.error.message, retry: result.error.code === 'conflict' ? () => void move(args, true) : null });
    refresh();
  };

  const current = appointments.find((a) => a.appointmentId === selected) ?? null;
  return (
    <section aria-labelledby="schedule-title" className="schedule">
      <div className="row heading-row">
        <h1 id="schedule-title">Schedule</h1>
        <div className="row">
          <label htmlFor="group-by">Columns</label>
          <select id="group-by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
            <option value="none">All together</option>
            <option value="therapist">By therapist</option>
            <option value="room">By room</option>
          </select>
          {schedules && (
            <button type="button" onClick={() => setBooking({ start: Date.now() + 3_600_000 - (Date.now() % 3_600_000), therapistId: null })}>
              Book a visit
            </button>
          )}
        </div>
      </div>
      {notice && (
        <p className="form-error" role="alert">
          {notice.text}{' '}
          {notice.retry && (
            <button type="button" className="secondary" onClick={notice.retry}>
              Move anyway
            </button>
          )}
        </p>
      )}
      {conflicts.status === 'ok' && conflicts.value.length > 0 && (
        <div className="duplicate-warning" role="alert" aria-label="Double bookings">
          <strong>Double bookings to resolve:</strong>
          <ul>
            {conflicts.value.map((c) => (
              <li key={`${c.a.appointmentId}-${c.b.appointmentId}`}>
                {c.over === 'therapist' ? c.a.therapistName : c.a.roomName}: {c.a.patientName} and {c.b.patientName} at {new Date(c.a.start).toLocaleString()}{' '}
                <button type="button" className="link" onClick={() => setSelected(c.b.appointmentId)}>
                  Open
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {booking && (
        <BookForm
          bridge={bridge}
          options={{ therapists, rooms: activeRooms, types: activeTypes }}
          start={booking.start}
          therapistId={booking.therapistId}
          onBooked={() => {
            setBooking(null);
            refresh();
          }}
          onCancel={() => setBooking(null)}
        />
      )}
      {current && <AppointmentPanel bridge={bridge} session={session} appointment={current} onChanged={refresh} onClose={() => setSelected(null)} />}
      <div className="calendar-frame">
        <DnDCalendar
          localizer={localizer}
          culture="en-GB"
          events={events}
          date={date}
          onNavigate={setDate}
          view={view}
          onView={setView}
          views={[Views.DAY, Views.WEEK]}
          step={15}
          timeslots={4}
          min={new Date(1970, 0, 1, 7)}
          max={new Date(1970, 0, 1, 20)}
          resources={resources}
          resourceIdAccessor={(r) => r.id}
          resourceTitleAccessor={(r) => r.title}
          selectable={schedules}
          onSelectSlot={(slot) => setBooking({ start: slot.start.getTime(), therapistId: groupBy === 'therapist' && slot.resourceId !== undefined ? String(slot.resourceId) : null })}
          onSelectEvent={(e) => setSelected(e.id)}
          draggableAccessor={(e) => schedules && e.appointment.status === 'booked'}
          resizableAccessor={() => false}
          onEventDrop={(args) => void move(args, false)}
          eventPropGetter={(e) => ({ className: `status-${e.appointment.status}${e.appointment.conflict ? ' conflict' : ''}` })}
        />
      </div>
      {session.role !== 'front_desk' && <HoursPanel bridge={bridge} session={session} therapists={therapists.map((t) => ({ id: t.id, name: t.name }))} />}
      {session.role === 'manager' && (
        <ScheduleSetup
          bridge={bridge}
          onChanged={() => {
            reloadRooms();
            reloadTypes();
          }}
        />
      )}
    </section>
  );
}
