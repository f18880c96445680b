import { useState } from 'react';
import type { CallOutput } from '../../../../shared/api/index.js';
import { zoneName } from '../../../../shared/time.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { DataTable } from '../../kit/DataTable.js';
import { Field } from '../../kit/Field.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';
import { useSession } from '../../kit/SessionContext.js';
import { formatTimeOfDay, parseTimeOfDay, timeInputHint } from '../../format.js';
import { useCall } from '../../useCall.js';

type RoomRow = CallOutput<'schedule.rooms'>[number];
type TypeRow = CallOutput<'schedule.types'>[number];
type Category = 'evaluation' | 'follow_up' | 're_evaluation' | 'other';
const CATEGORY_LABEL: Record<string, string> = { evaluation: 'Evaluation', follow_up: 'Follow-up', re_evaluation: 'Re-evaluation', other: 'Other' };
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Hours = Record<number, { start: string; end: string }>;

/**
 * Managers (main enforces it too): rooms and appointment types, listed, added, renamed and retired
 * (a retired one is not offered for new bookings, and visits that used it keep showing it), and
 * the clinic's opening hours and check-in window (docs/architecture.md#schedule).
 */
export function ScheduleSetup({ onChanged }: { readonly onChanged: () => void }) {
  const bridge = useBridge();
  const { state: rooms, reload: reloadRooms } = useCall('schedule.rooms', {});
  const { state: types, reload: reloadTypes } = useCall('schedule.types', {});
  const [room, setRoom] = useState('');
  const [typeName, setTypeName] = useState('');
  const [minutes, setMinutes] = useState('45');
  const [category, setCategory] = useState<Category>('follow_up');
  const [renaming, setRenaming] = useState<{ id: string; name: string; minutes: string } | null>(null);
  const [message, setMessage] = useState<OutcomeMessage>(null);

  const done = (ok: boolean, text: string) => {
    setMessage({ error: !ok, text });
    if (ok) {
      reloadRooms();
      reloadTypes();
      onChanged();
    }
    return ok;
  };
  const saveRoom = async (r: { roomId: string | null; name: string; active: boolean }, text: (name: string) => string) => {
    const result = await bridge.invoke('schedule.defineRoom', r);
    return done(result.ok, result.ok ? text(result.value.name) : result.error.message);
  };
  const saveType = async (
    t: { typeId: string | null; name: string; minutes: number; category: Category; active: boolean },
    text: (name: string) => string,
  ) => {
    const result = await bridge.invoke('schedule.defineType', t);
    return done(result.ok, result.ok ? text(result.value.name) : result.error.message);
  };

  const addRoom = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await saveRoom({ roomId: null, name: room, active: true }, (name) => `Added ${name}.`)) setRoom('');
  };
  const addType = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await saveType({ typeId: null, name: typeName, minutes: Number(minutes), category, active: true }, (name) => `Added ${name}.`))
      setTypeName('');
  };

  /** The rename form under a row (name, and for a type its length). */
  const renameForm = (what: string, submit: (current: { name: string; minutes: string }) => Promise<boolean>, withMinutes: boolean) =>
    renaming && (
      <form
        className="row wrap"
        aria-label={`Rename ${what}`}
        onSubmit={(e) => {
          e.preventDefault();
          void submit(renaming).then((ok) => ok && setRenaming(null));
        }}
      >
        <Field id="rename-name" label="New name">
          {(control) => <input {...control} value={renaming.name} onChange={(e) => setRenaming({ ...renaming, name: e.target.value })} />}
        </Field>
        {withMinutes && (
          <Field id="rename-minutes" label="Minutes">
            {(control) => (
              <input
                {...control}
                type="number"
                min={5}
                max={480}
                value={renaming.minutes}
                onChange={(e) => setRenaming({ ...renaming, minutes: e.target.value })}
              />
            )}
          </Field>
        )}
        <button type="submit">Save</button>
        <button type="button" className="secondary" onClick={() => setRenaming(null)}>
          Cancel
        </button>
      </form>
    );
  const actions = (name: string, active: boolean, rename: () => void, setActive: (active: boolean) => void) => (
    <div className="row">
      <button type="button" className="secondary" aria-label={`Rename ${name}`} onClick={rename}>
        Rename
      </button>
      <button type="button" className="secondary" aria-label={`${active ? 'Retire' : 'Bring back'} ${name}`} onClick={() => setActive(!active)}>
        {active ? 'Retire' : 'Bring back'}
      </button>
    </div>
  );

  return (
    <section className="panel" aria-labelledby="setup-title">
      <h2 id="setup-title">Rooms and appointment types</h2>
      <Outcome message={message} />
      <h3 id="rooms-title">Rooms and tables</h3>
      {rooms.status === 'ok' && (
        <DataTable<RoomRow>
          labelledBy="rooms-title"
          rows={rooms.value}
          rowKey={(r) => r.roomId}
          rowClassName={(r) => (r.active ? undefined : 'inactive')}
          empty="No rooms yet."
          columns={[
            { header: 'Name', rowHeader: true, cell: (r) => r.name },
            { header: 'Offered for bookings', cell: (r) => (r.active ? 'Yes' : 'Retired') },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (r) =>
                actions(
                  r.name,
                  r.active,
                  () => setRenaming({ id: r.roomId, name: r.name, minutes: '' }),
                  (active) =>
                    void saveRoom({ roomId: r.roomId, name: r.name, active }, (name) => `${name} ${active ? 'is offered again' : 'is retired'}.`),
                ),
            },
          ]}
          detail={(r) =>
            renaming?.id === r.roomId &&
            renameForm(
              r.name,
              (current) => saveRoom({ roomId: r.roomId, name: current.name, active: r.active }, (name) => `Renamed to ${name}.`),
              false,
            )
          }
        />
      )}
      <form className="row wrap" onSubmit={(e) => void addRoom(e)}>
        <Field id="room-name" label="Room or table">
          {(control) => <input {...control} value={room} onChange={(e) => setRoom(e.target.value)} />}
        </Field>
        <button type="submit">Add room</button>
      </form>
      <h3 id="types-title">Appointment types</h3>
      {types.status === 'ok' && (
        <DataTable<TypeRow>
          labelledBy="types-title"
          rows={types.value}
          rowKey={(t) => t.typeId}
          rowClassName={(t) => (t.active ? undefined : 'inactive')}
          empty="No appointment types yet."
          columns={[
            { header: 'Name', rowHeader: true, cell: (t) => t.name },
            { header: 'Minutes', cell: (t) => t.minutes },
            { header: 'Kind', cell: (t) => CATEGORY_LABEL[t.category] ?? t.category },
            { header: 'Offered for bookings', cell: (t) => (t.active ? 'Yes' : 'Retired') },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (t) =>
                actions(
                  t.name,
                  t.active,
                  () => setRenaming({ id: t.typeId, name: t.name, minutes: String(t.minutes) }),
                  (active) =>
                    void saveType(
                      { typeId: t.typeId, name: t.name, minutes: t.minutes, category: t.category as Category, active },
                      (name) => `${name} ${active ? 'is offered again' : 'is retired'}.`,
                    ),
                ),
            },
          ]}
          detail={(t) =>
            renaming?.id === t.typeId &&
            renameForm(
              t.name,
              (current) =>
                saveType(
                  { typeId: t.typeId, name: current.name, minutes: Number(current.minutes), category: t.category as Category, active: t.active },
                  (name) => `Saved ${name}.`,
                ),
              true,
            )
          }
        />
      )}
      <form className="row wrap" onSubmit={(e) => void addType(e)}>
        <Field id="type-name" label="Appointment type">
          {(control) => <input {...control} value={typeName} onChange={(e) => setTypeName(e.target.value)} />}
        </Field>
        <Field id="type-minutes" label="Minutes">
          {(control) => <input {...control} type="number" min={5} max={480} value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
        </Field>
        <Field id="type-category" label="Kind">
          {(control) => (
            <select {...control} value={category} onChange={(e) => setCategory(e.target.value as Category)}>
              <option value="evaluation">Evaluation</option>
              <option value="follow_up">Follow-up</option>
              <option value="re_evaluation">Re-evaluation</option>
              <option value="other">Other</option>
            </select>
          )}
        </Field>
        <button type="submit">Add type</button>
      </form>
      <ClinicHours />
    </section>
  );
}

/** The clinic's opening hours (one block per weekday) and how long before a visit check-in opens. */
function ClinicHours() {
  const bridge = useBridge();
  const session = useSession();
  const { state, reload } = useCall('settings.get', {});
  const [edited, setEdited] = useState<Hours | null>(null);
  const [checkInText, setCheckInText] = useState<string | null>(null);
  const [message, setMessage] = useState<OutcomeMessage>(null);
  if (state.status !== 'ok') return null;

  const saved: Hours = {};
  // Typed in the clinic's format ("2:00 PM" or "14:00"), stored as HH:MM.
  for (const b of state.value.openingHours ?? []) saved[b.weekday] = { start: formatTimeOfDay(b.start), end: formatTimeOfDay(b.end) };
  const hours = edited ?? saved;
  const checkIn = checkInText ?? String(state.value.checkInMinutes);
  const setDay = (weekday: number, part: 'start' | 'end', value: string) =>
    setEdited({ ...hours, [weekday]: { ...(hours[weekday] ?? { start: '', end: '' }), [part]: value } });
  const timeInput = (part: 'start' | 'end', word: string) => (day: string) => {
    const weekday = DAYS.indexOf(day) + 1;
    return (
      <input
        aria-label={`Clinic ${word} ${day}`}
        autoComplete="off"
        size={9}
        value={hours[weekday]?.[part] ?? ''}
        onChange={(e) => setDay(weekday, part, e.target.value)}
      />
    );
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const filled = Object.entries(hours).filter(([, h]) => h.start.trim() !== '' && h.end.trim() !== '');
    const unreadable = filled.find(([, h]) => parseTimeOfDay(h.start) === null || parseTimeOfDay(h.end) === null);
    if (unreadable) {
      setMessage({
        error: true,
        text: `${DAYS[Number(unreadable[0]) - 1] ?? 'A day'}: enter times such as ${timeInputHint().replace('e.g. ', '')}.`,
      });
      return;
    }
    const openingHours = filled
      .map(([weekday, h]) => ({ weekday: Number(weekday), start: parseTimeOfDay(h.start) ?? '', end: parseTimeOfDay(h.end) ?? '' }))
      .sort((a, b) => a.weekday - b.weekday);
    const result = await bridge.invoke('settings.update', { openingHours, checkInMinutes: Number(checkIn) });
    setMessage(result.ok ? { error: false, text: 'Opening hours and check-in saved.' } : { error: true, text: result.error.message });
    if (result.ok) {
      setEdited(null);
      setCheckInText(null);
      reload();
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="clinic-hours-title">
      <h3 id="clinic-hours-title">Opening hours and check-in</h3>
      <Outcome message={message} />
      <DataTable
        className="hours"
        label="Opening hours"
        rows={DAYS}
        rowKey={(day) => day}
        columns={[{ rowHeader: true, cell: (day) => day }, { cell: timeInput('start', 'opens') }, { cell: timeInput('end', 'closes') }]}
      />
      <p className="hint">
        Opening hours are on the clinic's clock ({zoneName(session.timeZone)}). Leave a day empty when closed. They apply to therapists who have no
        weekly hours of their own; with no opening hours at all, bookings are not checked against hours.
      </p>
      <Field id="checkin-minutes" label="Check-in opens (minutes before the start)">
        {(control) => <input {...control} type="number" min={0} max={1440} value={checkIn} onChange={(e) => setCheckInText(e.target.value)} />}
      </Field>
      <button type="submit">Save opening hours</button>
    </form>
  );
}
