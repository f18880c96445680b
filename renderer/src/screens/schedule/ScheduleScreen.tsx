import { addDays, endOfDay, endOfWeek, startOfDay, startOfWeek } from 'date-fns';
import { memo, useCallback, useMemo, useState } from 'react';
import type { SyntheticEvent } from 'react';
import { Calendar, Views } from 'react-big-calendar';
import type { SlotInfo, View } from 'react-big-calendar';
import withDragAndDropExport from 'react-big-calendar/lib/addons/dragAndDrop';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { useSession } from '../../kit/SessionContext.js';
import { isClinician, mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { AppointmentPanel } from './AppointmentPanel.js';
import { BookForm } from './BookForm.js';
import { localizer } from './calendar.js';
import { collapseDenseDays, visitEvents } from './calendarEvents.js';
import type { CalendarEvent } from './calendarEvents.js';
import { HoursPanel } from './HoursPanel.js';
import { ScheduleSetup } from './ScheduleSetup.js';
import './schedule.css';

interface Resource {
  readonly id: string;
  readonly title: string;
}

// The add-on is CommonJS with an `exports.default`; depending on the bundler's interop the default
// import is the function itself or the module object around it.
const withDragAndDrop = (withDragAndDropExport as unknown as { default?: typeof withDragAndDropExport }).default ?? withDragAndDropExport;
// react-big-calendar's components re-render every event whenever their parent renders; every prop
// below is stable between renders, so the memo skips the calendar when only other state changed
// (the staff, rooms and conflicts replies, forms and notices).
const DnDCalendar = memo(withDragAndDrop<CalendarEvent, Resource>(Calendar));

const DAY_START = new Date(1970, 0, 1, 7);
const DAY_END = new Date(1970, 0, 1, 20);
const VIEWS = [Views.DAY, Views.WEEK];
const resourceId = (r: Resource) => r.id;
const resourceTitle = (r: Resource) => r.title;
const notResizable = () => false;
const eventClass = (e: CalendarEvent) =>
  e.kind === 'count'
    ? { className: `visit-count${e.conflicts > 0 ? ' conflict' : ''}` }
    : { className: `status-${e.appointment.status}${e.appointment.conflict ? ' conflict' : ''}` };

/** An event's text; `data-visits` says how many visits it stands for (one, or an hour's count). */
function EventContent({ event }: { readonly event: CalendarEvent }) {
  return <span data-visits={event.kind === 'count' ? event.visits : 1}>{event.title}</span>;
}
const COMPONENTS = { event: EventContent };

/**
 * Day and week views by therapist or by room; drag to move; click a free slot to book. A whole
 * clinic's week "All together" shows each day too busy to read as visits per hour, which open
 * that day by therapist.
 */
export function ScheduleScreen() {
  const bridge = useBridge();
  const { role } = useSession();
  const [date, setDate] = useState(() => new Date());
  const [view, setView] = useState<View>(Views.WEEK);
  const [groupBy, setGroupBy] = useState<'therapist' | 'room' | 'none'>('none');
  const [scrollToTime, setScrollToTime] = useState<Date | undefined>(undefined);
  const [selected, setSelected] = useState<string | null>(null);
  // start null: the booking form suggests the next free slot in the clinic's hours.
  const [booking, setBooking] = useState<{ start: number | null; therapistId: string | null } | null>(null);
  const [notice, setNotice] = useState<{ text: string; retry: (() => void) | null; retryLabel?: string } | null>(null);
  const range =
    view === Views.DAY
      ? { from: startOfDay(date).getTime(), to: endOfDay(date).getTime() }
      : { from: startOfWeek(date, { weekStartsOn: 1 }).getTime(), to: addDays(endOfWeek(date, { weekStartsOn: 1 }), 1).getTime() };
  const { state, reload } = useCall('schedule.range', range);
  const { state: staff } = useCall('session.choices', {});
  const { state: rooms, reload: reloadRooms } = useCall('schedule.rooms', {});
  const { state: types, reload: reloadTypes } = useCall('schedule.types', {});
  const { state: conflicts, reload: reloadConflicts } = useCall('schedule.conflicts', { from: range.from });

  const therapists = useMemo(() => (staff.status === 'ok' ? staff.value.filter((s) => isClinician(s.role)) : []), [staff]);
  const activeRooms = useMemo(() => (rooms.status === 'ok' ? rooms.value.filter((r) => r.active) : []), [rooms]);
  const activeTypes = types.status === 'ok' ? types.value.filter((t) => t.active) : [];
  const appointments = useMemo(() => (state.status === 'ok' ? state.value : []), [state]);
  const schedules = mayCall(role, 'schedule.book');

  const resources = useMemo<Resource[] | undefined>(
    () =>
      groupBy === 'therapist'
        ? therapists.map((t) => ({ id: t.id, title: t.name }))
        : groupBy === 'room'
          ? activeRooms.map((r) => ({ id: r.roomId, title: r.name }))
          : undefined,
    [groupBy, therapists, activeRooms],
  );
  const events = useMemo(() => {
    const visits = visitEvents(appointments, groupBy);
    return view === Views.WEEK && groupBy === 'none' ? collapseDenseDays(visits) : visits;
  }, [appointments, groupBy, view]);
  const refresh = useCallback(() => {
    reload();
    reloadConflicts();
  }, [reload, reloadConflicts]);

  const onEventDrop = useCallback(
    (args: EventInteractionArgs<CalendarEvent>) => {
      if (args.event.kind !== 'visit') return;
      const a = args.event.appointment;
      const resource = args.resourceId === undefined ? undefined : String(args.resourceId);
      const start = new Date(args.start).getTime();
      const move = async (allowConflict: boolean, allowPast: boolean) => {
        const result = await bridge.invoke('schedule.move', {
          appointmentId: a.appointmentId,
          start,
          scope: 'one',
          allowConflict,
          allowPast,
          ...(groupBy === 'therapist' && resource ? { therapistId: resource } : {}),
          ...(groupBy === 'room' && resource ? { roomId: resource } : {}),
        });
        if (result.ok) setNotice(null);
        else setNotice({ text: result.error.message, retry: result.error.code === 'conflict' ? () => void move(true, allowPast) : null });
        refresh();
      };
      // Dropped on a time that has passed: moved there only as a confirmed past visit (docs/architecture.md#schedule).
      if (start < Date.now())
        setNotice({
          text: 'That time has already passed: move the visit there only to record a visit that took place then.',
          retry: () => void move(false, true),
          retryLabel: 'Record a past visit',
        });
      else void move(false, false);
    },
    [bridge, groupBy, refresh],
  );
  const openEvent = useCallback((e: CalendarEvent) => {
    if (e.kind === 'visit') {
      setSelected(e.id);
      return;
    }
    // An hour's count opens its day at that hour, one column per therapist: the readable way
    // to see that many visits at once.
    setScrollToTime(e.start);
    setDate(e.start);
    setView(Views.DAY);
    setGroupBy((g) => (g === 'none' ? 'therapist' : g));
  }, []);
  const onKeyPressEvent = useCallback(
    (e: CalendarEvent, key: SyntheticEvent<HTMLElement>) => {
      if (key.nativeEvent instanceof KeyboardEvent && (key.nativeEvent.key === 'Enter' || key.nativeEvent.key === ' ')) {
        key.preventDefault();
        openEvent(e);
      }
    },
    [openEvent],
  );
  const onSelectSlot = useCallback(
    (slot: SlotInfo) =>
      setBooking({
        start: slot.start.getTime(),
        therapistId: groupBy === 'therapist' && slot.resourceId !== undefined ? String(slot.resourceId) : null,
      }),
    [groupBy],
  );
  const draggable = useCallback((e: CalendarEvent) => schedules && e.kind === 'visit' && e.appointment.status === 'booked', [schedules]);

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
            <button type="button" onClick={() => setBooking({ start: null, therapistId: null })}>
              Book a visit
            </button>
          )}
        </div>
      </div>
      {notice && (
        <FormError>
          {notice.text}{' '}
          {notice.retry && (
            <button type="button" className="secondary" onClick={notice.retry}>
              {notice.retryLabel ?? 'Move anyway'}
            </button>
          )}
        </FormError>
      )}
      {conflicts.status === 'ok' && conflicts.value.length > 0 && (
        <div className="duplicate-warning" role="alert" aria-label="Double bookings">
          <strong>Double bookings to resolve:</strong>
          <ul>
            {conflicts.value.map((c) => (
              <li key={`${c.a.appointmentId}-${c.b.appointmentId}`}>
                {c.over === 'therapist' ? c.a.therapistName : c.a.roomName}: {c.a.patientName} and {c.b.patientName} at{' '}
                {new Date(c.a.start).toLocaleString()}{' '}
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
          key={`${String(booking.start)}-${String(booking.therapistId)}`}
          options={{ therapists, rooms: activeRooms, types: activeTypes }}
          start={booking.start}
          therapistId={booking.therapistId}
          onBooked={refresh}
          onCancel={() => setBooking(null)}
        />
      )}
      {current && <AppointmentPanel appointment={current} onChanged={refresh} onClose={() => setSelected(null)} />}
      <div className="calendar-frame">
        <DnDCalendar
          localizer={localizer}
          culture="en-GB"
          events={events}
          date={date}
          onNavigate={setDate}
          view={view}
          onView={setView}
          views={VIEWS}
          step={15}
          timeslots={4}
          min={DAY_START}
          max={DAY_END}
          scrollToTime={scrollToTime}
          resources={resources}
          resourceIdAccessor={resourceId}
          resourceTitleAccessor={resourceTitle}
          components={COMPONENTS}
          selectable={schedules}
          onSelectSlot={onSelectSlot}
          onSelectEvent={openEvent}
          onKeyPressEvent={onKeyPressEvent}
          draggableAccessor={draggable}
          resizableAccessor={notResizable}
          onEventDrop={onEventDrop}
          eventPropGetter={eventClass}
        />
      </div>
      {mayCall(role, 'schedule.setAvailability') && <HoursPanel therapists={therapists.map((t) => ({ id: t.id, name: t.name }))} />}
      {mayCall(role, 'schedule.defineRoom') && (
        <ScheduleSetup
          onChanged={() => {
            reloadRooms();
            reloadTypes();
          }}
        />
      )}
    </section>
  );
}
