import { addDays, endOfDay, endOfWeek, format, startOfDay, startOfWeek } from 'date-fns';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, SyntheticEvent } from 'react';
import { Calendar, Views } from 'react-big-calendar';
import type { SlotInfo, View } from 'react-big-calendar';
import withDragAndDropExport from 'react-big-calendar/lib/addons/dragAndDrop';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import type { Appointment } from '../../../../shared/api/index.js';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Dialog } from '../../kit/Dialog.js';
import { FormError } from '../../kit/FormError.js';
import { useSession } from '../../kit/SessionContext.js';
import { isClinician, mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { AppointmentPanel } from './AppointmentPanel.js';
import { BookForm } from './BookForm.js';
import { calendarFormats, clinicLocale, visitWhen, when } from '../../format.js';
import { localizer } from './calendar.js';
import { coveringVisit, CursorContext, EventMark, eventKey, nextPlace, parseSlotKey, SlotWrapper, slotKey } from './calendarKeyboard.js';
import type { CursorState } from './calendarKeyboard.js';
import { collapseDenseDays, compactLine, eventTooltip, LISTED_PER_HOUR, visitEvents, WEEK_OVERLAP } from './calendarEvents.js';
import type { CalendarEvent } from './calendarEvents.js';
import { calendarBounds, hoursLabel, undrawn, visibleHours } from './calendarRange.js';
import type { DayHours } from './calendarRange.js';
import { HoursPanel } from './HoursPanel.js';
import { formatDateOfBirth } from './patientIdentity.js';
import { PatientName } from './PatientName.js';
import { ScheduleSetup } from './ScheduleSetup.js';
import { useNarrow } from './useNarrow.js';
import { browserStorage, loadViewChoice, saveViewChoice } from './viewChoice.js';
import type { ViewChoice } from './viewChoice.js';
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

const VIEWS = [Views.DAY, Views.WEEK];
// A narrow window (a small screen, or 200 % zoom on a laptop) has no room for seven columns of
// times: it gets the day view only (docs/architecture.md#accessibility).
const NARROW_VIEWS = [Views.DAY];
const resourceId = (r: Resource) => r.id;
const resourceTitle = (r: Resource) => r.title;
const notResizable = () => false;
const listed = (e: CalendarEvent) => e.kind === 'count' && e.visits <= LISTED_PER_HOUR;
const eventClass = (e: CalendarEvent) =>
  e.kind === 'count'
    ? { className: `visit-count${listed(e) ? ' listed' : ''}${e.conflicts > 0 ? ' conflict' : ''}` }
    : { className: `status-${e.appointment.status}${e.appointment.conflict ? ' conflict' : ''}` };

/**
 * An event's text; `data-visits` says how many visits it stands for (one, or an hour's count).
 * A visit shows its start and the patient and, on a second line, the date of birth (where the
 * column is wide enough to show it whole: `with-birth`) and the type; an hour block lists its few
 * visits one per line, or counts many.
 */
function EventContent({ event }: { readonly event: CalendarEvent }) {
  return (
    <EventMark id={event.id} start={event.start} end={event.end}>
      <EventText event={event} />
    </EventMark>
  );
}
function EventText({ event }: { readonly event: CalendarEvent }) {
  if (event.kind === 'visit') {
    const a = event.appointment;
    return (
      <span data-visits={1} className="visit-label">
        <span className="ev-patient">
          <span className="ev-time">{format(a.start, 'HH:mm')}</span> {a.patientName ?? 'Patient'}
        </span>
        <span className="ev-more">
          {a.patientDateOfBirth && <span className="ev-dob">{formatDateOfBirth(a.patientDateOfBirth)} · </span>}
          {event.what}
        </span>
      </span>
    );
  }
  if (!listed(event)) return <span data-visits={event.visits}>{event.title}</span>;
  return (
    <span data-visits={event.visits} className="hour-list">
      {event.appointments.map((a) => (
        <span key={a.appointmentId} className={`line status-${a.status}${a.conflict ? ' conflict' : ''}`}>
          {compactLine(a)}
        </span>
      ))}
    </span>
  );
}
/**
 * react-big-calendar's column headers are `span role=columnheader` outside any row (an axe
 * "aria-required-parent" failure); the calendar is not a table to assistive technology, so the
 * header is plain text (each time and visit carries its own day and time in its name).
 */
function HeaderLabel({ label }: { readonly label: string }) {
  return <span>{label}</span>;
}
const COMPONENTS = { event: EventContent, header: HeaderLabel, timeSlotWrapper: SlotWrapper };
// A time to book at and a booked visit, in the clinic's locale (format.ts).
const slotWhen = visitWhen;

/** "Visit booked: Tester, Ana, Tuesday 1 December at 09:00" (and how many weekly visits follow). */
function bookedMessage(booked: readonly Appointment[]): string {
  const first = booked[0];
  if (!first) return 'Visit booked.';
  const more = booked.length > 1 ? `, and ${booked.length - 1} more weekly` : '';
  return `Visit booked: ${first.patientName ?? 'patient'}, ${visitWhen.format(first.start)}${more}.`;
}

/**
 * The columns of a view by therapist or by room: the active ones, then any other the period's
 * visits use (a former therapist, a retired room, no room at all), so no visit lacks a column.
 */
function columnsFor(groupBy: 'therapist' | 'room', listed: readonly Resource[], visits: readonly Appointment[]): Resource[] {
  const ids = new Set(listed.map((r) => r.id));
  const extra: Resource[] = [];
  for (const a of visits) {
    if (a.status === 'cancelled' || a.status === 'late_cancelled') continue;
    const id = groupBy === 'therapist' ? a.therapistId : (a.roomId ?? '');
    if (ids.has(id)) continue;
    ids.add(id);
    const title =
      groupBy === 'therapist'
        ? `${a.therapistName ?? 'Former staff'} (not active)`
        : a.roomId === null
          ? 'No room'
          : `${a.roomName ?? 'Room'} (retired)`;
    extra.push({ id, title });
  }
  return [...listed, ...extra];
}

/**
 * Day and week views by therapist or by room; drag to move; click a free slot to book. A whole
 * clinic's week "All together" shows a day with overlapping visits per hour, each hour opening
 * that day by therapist (docs/architecture.md#whole-clinic-week).
 */
export function ScheduleScreen() {
  const bridge = useBridge();
  const announce = useAnnounce();
  const { role, staffId } = useSession();
  const narrow = useNarrow();
  const [date, setDate] = useState(() => new Date());
  // The calendar writes dates and times like every other screen: the clinic's locale (format.ts).
  const locale = clinicLocale();
  const formats = useMemo(() => calendarFormats(locale), [locale]);
  const [initial] = useState(() => loadViewChoice(browserStorage(), staffId));
  const [chosenView, setView] = useState<View>(initial.view);
  const view = narrow ? Views.DAY : chosenView;
  const [groupBy, setGroupBy] = useState<'therapist' | 'room' | 'none'>(initial.groupBy);
  // What the person chose (not where an hour's count took them) is remembered for them
  // (docs/architecture.md#remembered-view).
  const choose = useCallback(
    (next: Partial<ViewChoice>) => {
      const choice: ViewChoice = { view: next.view ?? (chosenView === Views.DAY ? 'day' : 'week'), groupBy: next.groupBy ?? groupBy };
      setView(choice.view);
      setGroupBy(choice.groupBy);
      saveViewChoice(browserStorage(), staffId, choice);
    },
    [chosenView, groupBy, staffId],
  );
  const onView = useCallback((v: View) => choose({ view: v === Views.DAY ? 'day' : 'week' }), [choose]);
  const [scrollToTime, setScrollToTime] = useState<Date | undefined>(undefined);
  const [selected, setSelected] = useState<string | null>(null);
  // start null: the booking form suggests the next free slot in the clinic's hours.
  const [booking, setBooking] = useState<{ start: number | null; therapistId: string | null } | null>(null);
  const [notice, setNotice] = useState<{ text: string; retry: (() => void) | null; retryLabel?: string } | null>(null);
  // The calendar's roving tab stop (calendarKeyboard.tsx): the time or visit last focused.
  const [cursor, setCursor] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // A visit to focus once the calendar draws it (the one just booked).
  const focusWhenShown = useRef<string | null>(null);
  // What the open booking form booked (its confirmation is showing), to focus it once the form closes.
  const justBooked = useRef<string | null>(null);
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
        ? columnsFor(
            groupBy,
            therapists.map((t) => ({ id: t.id, title: t.name })),
            appointments,
          )
        : groupBy === 'room'
          ? columnsFor(
              groupBy,
              activeRooms.map((r) => ({ id: r.roomId, title: r.name })),
              appointments,
            )
          : undefined,
    [groupBy, therapists, activeRooms, appointments],
  );
  const visits = useMemo(() => visitEvents(appointments, groupBy), [appointments, groupBy]);
  const events = useMemo(
    () => (view === Views.WEEK && groupBy === 'none' ? collapseDenseDays(visits, WEEK_OVERLAP) : visits),
    [visits, groupBy, view],
  );
  // The clinic's opening hours (any weekday's: the views share one range of hours), in minutes.
  const { state: settings } = useCall('settings.get', {});
  const opening = useMemo<DayHours[]>(() => {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    return settings.status === 'ok' ? (settings.value.openingHours ?? []).map((b) => ({ start: minutes(b.start), end: minutes(b.end) })) : [];
  }, [settings]);
  const usual = useMemo(() => visibleHours([], opening), [opening]);
  // Every visit of the period is inside the drawn hours (docs/architecture.md#visible-hours).
  const hours = useMemo(() => visibleHours(visits, opening), [visits, opening]);
  const bounds = useMemo(() => calendarBounds(hours), [hours]);
  const missing = useMemo(() => undrawn(visits, hours, resources ? resources.map((r) => r.id) : null), [visits, hours, resources]);
  // Said, not only drawn: the hours grew because some visits are outside the usual day.
  const outsideDefault = useMemo(() => undrawn(visits, usual, null).length, [visits, usual]);
  const compact = view === Views.WEEK && groupBy === 'none';
  // A visit shows the date of birth where its column is wide enough for it whole: the day view
  // with up to four columns (a week's or a busy day's columns are too narrow; the tooltip has it).
  const withBirth = view === Views.DAY && (resources?.length ?? 1) <= 4;
  const tabStop = useMemo(() => {
    if (cursor !== null) {
      const slot = parseSlotKey(cursor);
      if (
        slot === null
          ? events.some((e) => eventKey(e.id) === cursor)
          : schedules &&
            slot.ms >= range.from &&
            slot.ms < range.to &&
            (resources ? resources.some((r) => r.id === slot.resource) : slot.resource === '')
      ) {
        return cursor;
      }
    }
    if (schedules) {
      // Nine o'clock of the calendar's date (today until the person navigates).
      return slotKey(new Date(date).setHours(9, 0, 0, 0), resources?.[0]?.id);
    }
    const first = [...events].sort((a, b) => a.start.getTime() - b.start.getTime())[0];
    return first ? eventKey(first.id) : null;
  }, [cursor, events, schedules, range.from, range.to, resources, date]);
  const cursorState = useMemo<CursorState>(
    () => ({ tabStop, slots: schedules, slotLabel: (at) => `Book at ${slotWhen.format(at)}` }),
    [tabStop, schedules],
  );
  useEffect(() => {
    const key = focusWhenShown.current;
    const el = key ? gridRef.current?.querySelector<HTMLElement>(`[data-cal-key="${key}"]`) : null;
    if (el) {
      focusWhenShown.current = null;
      el.focus();
    }
  }, [events]);
  const refresh = useCallback(() => {
    reload();
    reloadConflicts();
  }, [reload, reloadConflicts]);

  const onEventDrop = useCallback(
    (args: EventInteractionArgs<CalendarEvent>) => {
      if (args.event.kind !== 'visit') return;
      const a = args.event.appointment;
      const resource = args.resourceId === undefined ? undefined : String(args.resourceId);
      // The "No room" column is the empty id: dropping a visit there books it without a room.
      const room = resource === '' ? null : resource;
      const start = new Date(args.start).getTime();
      const move = async (allowConflict: boolean, allowPast: boolean) => {
        const result = await bridge.invoke('schedule.move', {
          appointmentId: a.appointmentId,
          start,
          scope: 'one',
          allowConflict,
          allowPast,
          ...(groupBy === 'therapist' && resource ? { therapistId: resource } : {}),
          ...(groupBy === 'room' && room !== undefined ? { roomId: room } : {}),
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
  /** "Book a visit" books at the focused time (the calendar's cursor), else at the next free slot in the clinic's hours. */
  const bookNow = () => {
    const slot = cursor === null ? null : parseSlotKey(cursor);
    if (slot && slot.ms >= range.from && slot.ms < range.to) {
      setBooking({ start: slot.ms, therapistId: groupBy === 'therapist' && slot.resource !== '' ? slot.resource : null });
    } else {
      setBooking({ start: null, therapistId: null });
    }
  };
  /** Closes the booking dialog; after a booking, focus goes to the visit booked once the calendar shows it. */
  const closeBooking = () => {
    focusWhenShown.current = justBooked.current;
    justBooked.current = null;
    setBooking(null);
    const key = focusWhenShown.current;
    if (key !== null)
      window.requestAnimationFrame(() => {
        const el = gridRef.current?.querySelector<HTMLElement>(`[data-cal-key="${key}"]`);
        if (el) {
          focusWhenShown.current = null;
          el.focus();
        }
      });
  };
  /** Arrow keys, Page Up/Down, Home/End move the cursor; Enter or Space on a time books there. */
  const onGridKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const target = e.target;
    if (!(target instanceof HTMLElement) || target.dataset.calKey === undefined || !gridRef.current) return;
    const slot = parseSlotKey(target.dataset.calKey);
    if (slot && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      setBooking({ start: slot.ms, therapistId: groupBy === 'therapist' && slot.resource !== '' ? slot.resource : null });
      return;
    }
    const next = nextPlace(gridRef.current, target, e.key);
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };
  const onGridFocus = (e: React.FocusEvent<HTMLDivElement>) => {
    if (!(e.target instanceof HTMLElement)) return;
    const cover = coveringVisit(e.target);
    if (cover) {
      cover.focus();
      return;
    }
    const key = e.target.dataset.calKey;
    if (key !== undefined) setCursor(key);
  };
  const draggable = useCallback((e: CalendarEvent) => schedules && e.kind === 'visit' && e.appointment.status === 'booked', [schedules]);

  const current = appointments.find((a) => a.appointmentId === selected) ?? null;
  return (
    <section aria-labelledby="schedule-title" className="schedule">
      <div className="row heading-row">
        <h1 id="schedule-title">Schedule</h1>
        <div className="row">
          <label htmlFor="group-by">Columns</label>
          <select id="group-by" value={groupBy} onChange={(e) => choose({ groupBy: e.target.value as typeof groupBy })}>
            <option value="none">All together</option>
            <option value="therapist">By therapist</option>
            <option value="room">By room</option>
          </select>
          {schedules && (
            <button type="button" onClick={bookNow}>
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
                {c.over === 'therapist' ? c.a.therapistName : c.a.roomName}: <PatientName patient={c.a} /> and <PatientName patient={c.b} /> at{' '}
                {when.format(c.a.start)}{' '}
                <button type="button" className="link" onClick={() => setSelected(c.b.appointmentId)}>
                  Open
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {booking && (
        <Dialog label="Book a visit" className="book-dialog" onClose={closeBooking}>
          <BookForm
            key={`${String(booking.start)}-${String(booking.therapistId)}`}
            options={{ therapists, rooms: activeRooms, types: activeTypes }}
            start={booking.start}
            therapistId={booking.therapistId}
            onBooked={(booked) => {
              // The dialog stays open on the confirmation (with its Undo); the calendar shows the visit behind it.
              const first = booked[0];
              if (first) {
                justBooked.current = eventKey(first.appointmentId);
                setCursor(eventKey(first.appointmentId));
              }
              announce(bookedMessage(booked));
              refresh();
            }}
            onUndone={() => {
              justBooked.current = null;
              refresh();
            }}
            onCancel={closeBooking}
          />
        </Dialog>
      )}
      {current && (
        <Dialog
          label={`Visit: ${current.patientName ?? 'patient'}`}
          className="appointment-dialog"
          onClose={() => setSelected(null)}
          returnFocus={() => gridRef.current?.querySelector<HTMLElement>(`[data-cal-key="${eventKey(current.appointmentId)}"]`) ?? null}
        >
          <AppointmentPanel appointment={current} onChanged={refresh} onClose={() => setSelected(null)} />
        </Dialog>
      )}
      {outsideDefault > 0 && (
        <p className="notice hours-notice" data-testid="hours-notice">
          {outsideDefault === 1 ? '1 visit' : `${outsideDefault} visits`} this {view === Views.DAY ? 'day' : 'week'}{' '}
          {outsideDefault === 1 ? 'is' : 'are'} outside {hoursLabel(usual)}, so the calendar shows {hoursLabel(hours)}.
        </p>
      )}
      {missing.length > 0 && (
        <FormError as="div">
          {missing.length === 1 ? '1 visit is' : `${missing.length} visits are`} not on the calendar:
          <ul>
            {missing.map((e) => (
              <li key={e.id}>
                <PatientName patient={e.appointment} /> at {new Date(e.appointment.start).toLocaleString()}{' '}
                <button type="button" className="link" onClick={() => setSelected(e.id)}>
                  Open
                </button>
              </li>
            ))}
          </ul>
        </FormError>
      )}
      <p className="hint" id="calendar-keys">
        In the calendar, arrow keys move between {schedules ? 'times and visits' : 'visits'}, Page Up and Page Down by an hour; Enter{' '}
        {schedules ? 'books at a time or opens a visit' : 'opens a visit'}.
      </p>
      <a className="skip-link" href="#after-calendar">
        Skip the calendar
      </a>
      <div
        className={`calendar-frame${compact ? ' compact-week' : ''}${withBirth ? ' with-birth' : ''}`}
        ref={gridRef}
        onKeyDown={onGridKeyDown}
        onFocus={onGridFocus}
        role="group"
        aria-label="Calendar"
        aria-describedby="calendar-keys"
      >
        <CursorContext value={cursorState}>
          <DnDCalendar
            localizer={localizer}
            culture={locale}
            formats={formats}
            events={events}
            date={date}
            onNavigate={setDate}
            view={view}
            onView={onView}
            views={narrow ? NARROW_VIEWS : VIEWS}
            step={15}
            timeslots={4}
            min={bounds.min}
            max={bounds.max}
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
            tooltipAccessor={eventTooltip}
            showMultiDayTimes
          />
        </CursorContext>
      </div>
      <p id="after-calendar" tabIndex={-1} className="visually-hidden">
        End of the calendar
      </p>
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
