import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { generateDeviceKeyPair } from '../ledger/crypto/index.js';
import { Ledger } from '../ledger/ledger.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { registerTestPatient } from '../testing/patients.js';
import { storedEntries, tempLedger } from '../ledger/testing/fixtures.js';
import type { TestLedger } from '../ledger/testing/fixtures.js';
import { appointmentIds } from '../views/schedule.js';
import { book, move, setStatus } from './schedule.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = Date.UTC(2026, 10, 23, 8);
/** The clinic's clock in these tests: a test moves it on to reach a visit's start. */
let now = clock;
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
  now = clock;
});
const MONDAY_9 = Date.UTC(2026, 10, 30, 9); // a week ahead

type Ok<T> = { ok: true; value: T };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => (r as Ok<T>).value;

async function clinic(timeZone = 'UTC') {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-schedule-')), () => now, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1', timeZone });
  const add = async (name: string, role: string) =>
    value<{ id: string }>(await m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: null, passphrase: `${name} passphrase` })).id;
  const priya = await add('Priya', 'therapist');
  const tomas = await add('Tomas', 'therapist');
  const fran = await add('Fran', 'front_desk');
  await m.invoke('desk', 'ws', 'session.signIn', { staffId: fran, passphrase: 'Fran passphrase' });
  await m.invoke('pt', 'ws', 'session.signIn', { staffId: priya, passphrase: 'Priya passphrase' });
  const room = value<{ roomId: string }>(await m.invoke('mgr', 'ws', 'schedule.defineRoom', { roomId: null, name: 'Table 1', active: true })).roomId;
  const type = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  const patient = (given: string) => registerTestPatient(m, 'desk', given);
  const manager = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
  /** Moves the clock on to `to`; everyone signs in again, as the idle lock has signed them out. */
  const at = async (to: number) => {
    now = to;
    await m.invoke('mgr', 'ws', 'session.signIn', { staffId: manager, passphrase: 'manager passphrase 1' });
    await m.invoke('desk', 'ws', 'session.signIn', { staffId: fran, passphrase: 'Fran passphrase' });
    await m.invoke('pt', 'ws', 'session.signIn', { staffId: priya, passphrase: 'Priya passphrase' });
  };
  return { m, priya, tomas, fran, room, type, at, ana: await patient('Ana'), ben: await patient('Ben') };
}

describe('schedule', () => {
  it('books a weekly series, refuses a double booking unless accepted, moves one visit and this-and-following', async () => {
    const c = await clinic();
    const series = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: c.room,
        typeId: c.type,
        start: MONDAY_9,
        weeks: 4,
        allowConflict: false,
      }),
    );
    expect(series.map((a) => (a.start - MONDAY_9) / (7 * DAY))).toEqual([0, 1, 2, 3]);
    expect(series.every((a) => a.end - a.start === 45 * 60_000 && a.seriesId === series[0]!.seriesId && a.patientName === 'Tester, Ana')).toBe(true);

    const clash = await c.m.invoke('desk', 'ws', 'schedule.book', {
      patientId: c.ben,
      therapistId: c.priya,
      roomId: null,
      typeId: c.type,
      start: MONDAY_9 + 30 * 60_000,
      weeks: 1,
      allowConflict: false,
    });
    expect(clash).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Double booking: Priya already sees Tester, Ana in Table 1, Mon 30 Nov, 09:00 UTC to 09:45. Choose another time, or book anyway.',
      },
    });
    const forced = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ben,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: MONDAY_9 + 30 * 60_000,
        weeks: 1,
        allowConflict: true,
      }),
    );
    expect(forced[0]!.conflict).toBe(true);
    const pairs = value<unknown[]>(await c.m.invoke('desk', 'ws', 'schedule.conflicts', { from: clock }));
    expect(pairs).toHaveLength(1);

    // Edit this one: the second visit moves an hour later; the others stay.
    const second = series[1]!;
    await c.m.invoke('desk', 'ws', 'schedule.move', {
      appointmentId: second.appointmentId,
      start: second.start + HOUR,
      scope: 'one',
      allowConflict: false,
    });
    // This and following: from the third visit on, everything moves to Tomas, a day later.
    const third = series[2]!;
    await c.m.invoke('desk', 'ws', 'schedule.move', {
      appointmentId: third.appointmentId,
      start: third.start + DAY,
      therapistId: c.tomas,
      scope: 'following',
      allowConflict: false,
    });
    const all = value<Appointment[]>(await c.m.invoke('desk', 'ws', 'schedule.range', { from: MONDAY_9 - DAY, to: MONDAY_9 + 30 * DAY }));
    const anas = all.filter((a) => a.patientId === c.ana);
    expect(anas.map((a) => [(a.start - MONDAY_9) / HOUR, a.therapistName])).toEqual([
      [0, 'Priya'],
      [7 * 24 + 1, 'Priya'],
      [14 * 24 + 24, 'Tomas'],
      [21 * 24 + 24, 'Tomas'],
    ]);
    const before = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(before);
  });

  it('records check-in, completion and no-shows, marks late cancellations, and keeps therapists to their own visits', async () => {
    const c = await clinic();
    const [soon] = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: clock + 2 * HOUR,
        weeks: 1,
        allowConflict: false,
      }),
    );
    const [later] = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ben,
        therapistId: c.tomas,
        roomId: null,
        typeId: c.type,
        start: clock + 3 * DAY,
        weeks: 1,
        allowConflict: false,
      }),
    );
    expect(
      await c.m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId: later!.appointmentId, status: 'cancelled', reason: null, scope: 'one' }),
    ).toMatchObject({
      ok: false,
      error: { message: 'Give a reason for the cancellation.' },
    });
    expect(
      value<Appointment[]>(
        await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
          appointmentId: later!.appointmentId,
          status: 'cancelled',
          reason: 'Flu',
          scope: 'one',
        }),
      )[0],
    ).toMatchObject({
      status: 'cancelled',
      statusReason: 'Flu',
    });
    // Priya may check in her own patient, not Tomas's, and may not cancel; check-in opens an hour before the start.
    await c.at(soon!.start - HOUR);
    expect(
      await c.m.invoke('pt', 'ws', 'schedule.setStatus', { appointmentId: later!.appointmentId, status: 'booked', reason: null, scope: 'one' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      value<Appointment[]>(
        await c.m.invoke('pt', 'ws', 'schedule.setStatus', { appointmentId: soon!.appointmentId, status: 'checked_in', reason: null, scope: 'one' }),
      )[0]!.status,
    ).toBe('checked_in');
    expect(
      await c.m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId: soon!.appointmentId, status: 'no_show', reason: null, scope: 'one' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'A visit that is checked in cannot become no show.' },
    });
    expect(
      value<Appointment[]>(
        await c.m.invoke('pt', 'ws', 'schedule.setStatus', { appointmentId: soon!.appointmentId, status: 'completed', reason: null, scope: 'one' }),
      )[0]!.status,
    ).toBe('completed');

    const [tomorrowish] = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: clock + 5 * HOUR,
        weeks: 1,
        allowConflict: false,
      }),
    );
    expect(
      value<Appointment[]>(
        await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
          appointmentId: tomorrowish!.appointmentId,
          status: 'cancelled',
          reason: 'Car broke down',
          scope: 'one',
        }),
      )[0]!.status,
    ).toBe('late_cancelled');
    const [missed] = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ben,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: clock + 6 * HOUR,
        weeks: 1,
        allowConflict: false,
      }),
    );
    await c.at(missed!.start);
    expect(
      value<Appointment[]>(
        await c.m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId: missed!.appointmentId, status: 'no_show', reason: null, scope: 'one' }),
      )[0]!.status,
    ).toBe('no_show');
  });

  it('two devices booking the same slot while offline: both bookings are kept and the double booking shows after sync', async () => {
    const c = await clinic();
    // A second device of the clinic, holding the patients' keys (key sharing is the sync issue's).
    const bKey = generateDeviceKeyPair();
    const manager = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
    const clinicId = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    c.m.ledger.append({ stream: `c:${clinicId}/public`, kind: 'device.enrolled', by: manager, body: { device: bKey.publicKey, label: 'Desk 2' } });
    const b = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-schedule-b-')), () => clock, quiet);
    opened.push(b);
    const bLedger = new Ledger(b.db, bKey, { now: () => clock, keystore: b.keystore });
    for (const e of storedEntries(c.m.ledger)) bLedger.ingest(e.bytes, e.sig, 'sync');
    for (const id of [c.ana, c.ben]) b.keystore.storeKey(id, c.m.keystore.keyFor(id)!, 0);
    rebuildViews(b.db, b.keystore);
    expect(viewDigest(b.db)).toBe(viewDigest(c.m.db));

    const fran = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'front_desk'").get() as { id: string }).id;
    const ctx = { session: { staffId: fran, role: 'front_desk' as const }, bridge: 'cli' as const };
    const { book } = await import('./schedule.js');
    book(
      { ledger: c.m.ledger, keystore: c.m.keystore, now: () => clock },
      { patientId: c.ana, therapistId: c.priya, roomId: c.room, typeId: c.type, start: MONDAY_9, weeks: 1, allowConflict: false },
      ctx,
    );
    book(
      { ledger: bLedger, keystore: b.keystore, now: () => clock },
      { patientId: c.ben, therapistId: c.priya, roomId: c.room, typeId: c.type, start: MONDAY_9, weeks: 1, allowConflict: false },
      ctx,
    );
    for (const e of storedEntries(bLedger)) c.m.ledger.ingest(e.bytes, e.sig, 'sync');
    for (const e of storedEntries(c.m.ledger)) bLedger.ingest(e.bytes, e.sig, 'sync');
    const { conflicts } = await import('./schedule.js');
    expect(conflicts(c.m.db, clock).map((p) => p.over)).toEqual(['therapist']);
    expect(conflicts(b.db, clock)).toHaveLength(1);
    expect(viewDigest(b.db)).toBe(viewDigest(c.m.db));
  });
});

describe("therapists' hours and time off", () => {
  it('warns when a visit falls outside weekly hours or in time off, and lets therapists keep their own hours', async () => {
    const c = await clinic();
    // MONDAY_9 is a Monday: Priya works Mondays 09:00–12:00 UTC.
    expect(
      await c.m.invoke('pt', 'ws', 'schedule.setAvailability', { therapistId: c.priya, weekly: [{ weekday: 1, start: '09:00', end: '12:00' }] }),
    ).toMatchObject({ ok: true });
    expect(await c.m.invoke('pt', 'ws', 'schedule.setAvailability', { therapistId: c.tomas, weekly: [] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await c.m.invoke('pt', 'ws', 'schedule.setAvailability', { therapistId: c.priya, weekly: [{ weekday: 1, start: '12:00', end: '09:00' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'Each block must end after it starts.' },
    });
    const bookAt = (start: number, allowConflict = false) =>
      c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start,
        weeks: 1,
        allowConflict,
      });
    expect(await bookAt(MONDAY_9 + HOUR)).toMatchObject({ ok: true });
    expect(await bookAt(MONDAY_9 + 4 * HOUR)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Priya does not usually work then (see their weekly hours). Choose another time, or book anyway.' },
    });
    expect(await bookAt(MONDAY_9 + 4 * HOUR, true)).toMatchObject({ ok: true });

    const off = value<{ timeoffId: string }>(
      await c.m.invoke('mgr', 'ws', 'schedule.addTimeOff', {
        therapistId: c.priya,
        start: MONDAY_9 + 7 * DAY,
        end: MONDAY_9 + 7 * DAY + 3 * HOUR,
        reason: 'Course',
      }),
    );
    expect(await bookAt(MONDAY_9 + 7 * DAY)).toMatchObject({
      ok: false,
      error: { message: 'Priya is off then (Course). Choose another time, or book anyway.' },
    });
    expect(value<{ timeOff: unknown[] }>(await c.m.invoke('desk', 'ws', 'schedule.availability', {})).timeOff).toHaveLength(1);
    expect(await c.m.invoke('pt', 'ws', 'schedule.removeTimeOff', { timeoffId: off.timeoffId })).toEqual({ ok: true, value: null });
    expect(await bookAt(MONDAY_9 + 7 * DAY)).toMatchObject({ ok: true });
  });
});

describe('the clinic time zone', () => {
  // Berlin's clocks go back on Sunday 25 October 2026: 09:00 is 07:00 UTC before, 08:00 UTC after.
  const BERLIN_MON_19_OCT_9 = Date.UTC(2026, 9, 19, 7);
  const utcHours = (list: Appointment[]) => list.map((a) => new Date(a.start).toISOString().slice(5, 16));

  it('keeps a weekly series and weekly hours on the clinic’s wall clock across a clock change', async () => {
    now = Date.UTC(2026, 9, 1); // before every visit below
    const c = await clinic('Europe/Berlin');
    expect(value<{ timeZone: string }>(await c.m.invoke('desk', 'ws', 'settings.get', {})).timeZone).toBe('Europe/Berlin');
    expect(value<{ timeZone: string }>(await c.m.invoke('desk', 'ws', 'session.current', {})).timeZone).toBe('Europe/Berlin');
    const series = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: BERLIN_MON_19_OCT_9,
        weeks: 3,
        allowConflict: true,
      }),
    );
    expect(utcHours(series)).toEqual(['10-19T07:00', '10-26T08:00', '11-02T08:00']);

    // This and the following visits to Tuesdays 10:00, Berlin time.
    const moved = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.move', {
        appointmentId: series[0]!.appointmentId,
        start: Date.UTC(2026, 9, 20, 8),
        scope: 'following',
        allowConflict: true,
      }),
    );
    expect(utcHours(moved)).toEqual(['10-20T08:00', '10-27T09:00', '11-03T09:00']);
    expect(moved.every((a) => a.end - a.start === 45 * 60_000)).toBe(true);

    // Priya works Mondays 08:30–17:00 Berlin time, summer and winter.
    value(await c.m.invoke('pt', 'ws', 'schedule.setAvailability', { therapistId: c.priya, weekly: [{ weekday: 1, start: '08:30', end: '17:00' }] }));
    const bookAt = (start: number) =>
      c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ben,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start,
        weeks: 1,
        allowConflict: false,
      });
    const away = 'Priya does not usually work then (see their weekly hours). Choose another time, or book anyway.';
    expect(await bookAt(Date.UTC(2026, 10, 30, 7))).toMatchObject({ ok: false, error: { message: away } }); // 08:00 in winter
    expect(await bookAt(Date.UTC(2026, 10, 30, 7, 30))).toMatchObject({ ok: true }); // 08:30 in winter
    expect(await bookAt(Date.UTC(2026, 10, 30, 15, 30))).toMatchObject({ ok: false, error: { message: away } }); // 16:30–17:15
    expect(await bookAt(Date.UTC(2026, 9, 12, 6))).toMatchObject({ ok: false, error: { message: away } }); // 08:00 in summer
    expect(await bookAt(Date.UTC(2026, 9, 12, 6, 30))).toMatchObject({ ok: true }); // 08:30 in summer
    // A double booking names the time as the clinic's clocks show it.
    expect(await bookAt(Date.UTC(2026, 10, 30, 7, 30))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Mon 30 Nov, 08:30 CET to 09:15') as unknown },
    });
  });

  it('a manager changes the time zone; a zone Movelog does not know is refused with a readable message', async () => {
    now = Date.UTC(2026, 9, 1); // before every visit below
    const c = await clinic();
    expect(await c.m.invoke('mgr', 'ws', 'settings.update', { timeZone: 'Mars/Olympus_Mons' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('Movelog does not know that time zone') as unknown },
    });
    expect(await c.m.invoke('mgr', 'ws', 'settings.update', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Change at least one setting') as unknown },
    });
    const entries = () => (c.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'clinic.timezone.set'").get() as { n: number }).n;
    const before = entries();
    expect(await c.m.invoke('mgr', 'ws', 'settings.update', { timeZone: 'America/New_York', autoLockMinutes: 5 })).toEqual({
      ok: true,
      value: {
        timeZone: 'America/New_York',
        autoLockMinutes: 5,
        openingHours: null,
        checkInMinutes: 60,
        locale: expect.any(String) as unknown,
        namesAtSignIn: true,
        careWindowMonths: 12,
      },
    });
    expect(entries()).toBe(before + 1);
    expect(c.m.db.prepare("SELECT count(*) AS n FROM entries WHERE kind = 'clinic.settings.set'").get()).toEqual({ n: 0 }); // unchanged: not written
    const later = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.book', {
        patientId: c.ana,
        therapistId: c.priya,
        roomId: null,
        typeId: c.type,
        start: Date.UTC(2026, 9, 26, 13),
        weeks: 2,
        allowConflict: true,
      }),
    );
    expect(utcHours(later)).toEqual(['10-26T13:00', '11-02T14:00']); // 09:00 New York, before and after its clocks go back on 1 November
    const before2 = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(before2);
  });
});

describe('rules that catch mistakes (issue 17)', () => {
  const bookFor = (c: Awaited<ReturnType<typeof clinic>>, over: Record<string, unknown>) =>
    c.m.invoke('desk', 'ws', 'schedule.book', {
      patientId: c.ana,
      therapistId: c.priya,
      roomId: null,
      typeId: c.type,
      start: MONDAY_9,
      weeks: 1,
      allowConflict: false,
      ...over,
    });

  it('refuses a start in the past unless the person confirms recording a past visit, and checks it against a completed visit', async () => {
    const c = await clinic();
    const past = clock - 2 * DAY; // Saturday 21 November, 08:00
    const refused = await bookFor(c, { start: past });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Sat 21 Nov, 08:00 UTC has already passed. To record a past visit, confirm "Record a past visit" and book again.',
      },
    });
    expect(appointmentIds(c.m.db)).toHaveLength(0);
    const [recorded] = value<Appointment[]>(await bookFor(c, { start: past, roomId: c.room, allowPast: true }));
    // Recorded as seen: checked in and completed.
    await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
      appointmentId: recorded!.appointmentId,
      status: 'checked_in',
      reason: null,
      scope: 'one',
    });
    await c.m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId: recorded!.appointmentId, status: 'completed', reason: null, scope: 'one' });
    // A completed visit still occupies its slot: the same time, therapist or room, is a double booking.
    expect(await bookFor(c, { patientId: c.ben, therapistId: c.tomas, roomId: c.room, start: past + 15 * 60_000, allowPast: true })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Double booking: Table 1 is taken by Tester, Ana with Priya, Sat 21 Nov, 08:00 UTC to 08:45. Choose another time, or book anyway.',
      },
    });
    // A cancelled or no-show visit frees it.
    const [later] = value<Appointment[]>(await bookFor(c, { start: clock + HOUR }));
    await c.at(clock + 2 * HOUR);
    await c.m.invoke('desk', 'ws', 'schedule.setStatus', { appointmentId: later!.appointmentId, status: 'no_show', reason: null, scope: 'one' });
    expect(await bookFor(c, { patientId: c.ben, start: clock + HOUR, allowPast: true })).toMatchObject({ ok: true });

    // Moving into the past needs the same confirmation.
    const [ahead] = value<Appointment[]>(await bookFor(c, { start: MONDAY_9 }));
    const moveTo = (start: number, allowPast?: boolean) =>
      c.m.invoke('desk', 'ws', 'schedule.move', {
        appointmentId: ahead!.appointmentId,
        start,
        scope: 'one',
        allowConflict: false,
        ...(allowPast === undefined ? {} : { allowPast }),
      });
    expect(await moveTo(clock - DAY)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('has already passed') as unknown },
    });
    expect(value<Appointment[]>(await moveTo(clock - DAY, true))[0]!.start).toBe(clock - DAY);
  });

  it('names exactly what clashes: the therapist, the room, or both, with the other visit’s time', async () => {
    const c = await clinic();
    await bookFor(c, { roomId: c.room });
    const message = async (over: Record<string, unknown>) =>
      ((await bookFor(c, { patientId: c.ben, start: MONDAY_9 + 30 * 60_000, ...over })) as { error: { message: string } }).error.message;
    expect(await message({})).toBe(
      'Double booking: Priya already sees Tester, Ana in Table 1, Mon 30 Nov, 09:00 UTC to 09:45. Choose another time, or book anyway.',
    );
    expect(await message({ therapistId: c.tomas, roomId: c.room })).toBe(
      'Double booking: Table 1 is taken by Tester, Ana with Priya, Mon 30 Nov, 09:00 UTC to 09:45. Choose another time, or book anyway.',
    );
    expect(await message({ roomId: c.room })).toBe(
      'Double booking: Priya and Table 1 are both taken by Tester, Ana, Mon 30 Nov, 09:00 UTC to 09:45. Choose another time, or book anyway.',
    );
    expect(await bookFor(c, { patientId: c.ben, therapistId: c.tomas, start: MONDAY_9 + 30 * 60_000 })).toMatchObject({ ok: true });
  });

  it('opens check-in the clinic’s window before the start, allows a no-show only after it, and undoes either with a reason kept in the history', async () => {
    const c = await clinic();
    const [visit] = value<Appointment[]>(await bookFor(c, { start: clock + 3 * HOUR }));
    const set = (status: string, reason: string | null = null, who = 'desk') =>
      c.m.invoke(who, 'ws', 'schedule.setStatus', { appointmentId: visit!.appointmentId, status, reason, scope: 'one' });
    expect(await set('checked_in')).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Check-in opens 60 minutes before the visit, at Mon 23 Nov, 10:00 UTC. The visit starts Mon 23 Nov, 11:00 UTC.',
      },
    });
    expect(await set('no_show')).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A no-show can only be recorded once the visit has started (Mon 23 Nov, 11:00 UTC).' },
    });
    // A manager widens the window to three hours; only managers may.
    expect(await c.m.invoke('desk', 'ws', 'settings.update', { checkInMinutes: 180 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.m.invoke('mgr', 'ws', 'settings.update', { checkInMinutes: -5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('At least 0 minutes') as unknown },
    });
    expect(value<{ checkInMinutes: number }>(await c.m.invoke('mgr', 'ws', 'settings.update', { checkInMinutes: 180 })).checkInMinutes).toBe(180);
    expect(value<Appointment[]>(await set('checked_in'))[0]!.status).toBe('checked_in');
    // Undo needs a reason, from the front desk.
    expect(await set('booked')).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Give a reason for undoing the check-in.' } });
    expect(value<Appointment[]>(await set('booked', 'Checked in the wrong Olivia'))[0]).toMatchObject({
      status: 'booked',
      statusReason: 'Checked in the wrong Olivia',
    });
    await c.at(clock + 3 * HOUR + 10 * 60_000);
    expect(value<Appointment[]>(await set('no_show'))[0]!.status).toBe('no_show');
    expect(await set('booked', 'Arrived late', 'pt')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await set('booked')).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Give a reason for undoing the no-show.' } });
    expect(value<Appointment[]>(await set('booked', 'Arrived late'))[0]!.status).toBe('booked');

    const history = value<{ kind: string; status: string | null; reason: string | null; byName: string | null }[]>(
      await c.m.invoke('pt', 'ws', 'schedule.history', { appointmentId: visit!.appointmentId }),
    );
    expect(history.map((h) => [h.kind, h.status, h.reason, h.byName])).toEqual([
      ['booked', null, null, 'Fran'],
      ['status', 'checked_in', null, 'Fran'],
      ['status', 'booked', 'Checked in the wrong Olivia', 'Fran'],
      ['status', 'no_show', null, 'Fran'],
      ['status', 'booked', 'Arrived late', 'Fran'],
    ]);
  });

  it('applies the clinic’s opening hours to a therapist without weekly hours; with none set, any hour is fine', async () => {
    const c = await clinic();
    // Sunday 29 November 20:00: no hours anywhere, so no confirmation.
    expect(await bookFor(c, { start: Date.UTC(2026, 10, 29, 20) })).toMatchObject({ ok: true });
    const hours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));
    expect(await c.m.invoke('desk', 'ws', 'settings.update', { openingHours: hours })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(value<{ openingHours: unknown }>(await c.m.invoke('mgr', 'ws', 'settings.update', { openingHours: hours })).openingHours).toEqual(hours);
    expect(value<{ openingHours: unknown }>(await c.m.invoke('desk', 'ws', 'settings.get', {})).openingHours).toEqual(hours);
    expect(await bookFor(c, { start: Date.UTC(2026, 10, 28, 10) })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'The clinic is closed then (see its opening hours). Choose another time, or book anyway.' },
    });
    expect(await bookFor(c, { start: MONDAY_9 + 9 * HOUR })).toMatchObject({ ok: false, error: { code: 'conflict' } }); // 18:00
    expect(await bookFor(c, { start: MONDAY_9 })).toMatchObject({ ok: true });
    // A therapist's own hours win over the clinic's.
    await c.m.invoke('pt', 'ws', 'schedule.setAvailability', { therapistId: c.priya, weekly: [{ weekday: 6, start: '09:00', end: '13:00' }] });
    expect(await bookFor(c, { start: Date.UTC(2026, 10, 28, 10) })).toMatchObject({ ok: true });
  });

  it('suggests the next free quarter hour in the binding hours for the booking form', async () => {
    const c = await clinic();
    const next = async (therapistId: string | null, roomId: string | null = null) =>
      value<{ start: number | null }>(await c.m.invoke('desk', 'ws', 'schedule.nextFree', { therapistId, roomId, minutes: 45 })).start;
    // Monday 08:00 with no hours set: the usual working day starts now.
    expect(await next(c.priya)).toBe(clock);
    await c.m.invoke('mgr', 'ws', 'settings.update', { openingHours: [{ weekday: 1, start: '09:00', end: '10:00' }] });
    expect(await next(c.priya)).toBe(clock + HOUR);
    await bookFor(c, { start: clock + HOUR, roomId: c.room });
    // Priya is taken 09:00–09:45; 09:45–10:30 does not fit before 10:00, so next Monday 09:00.
    expect(await next(c.priya)).toBe(clock + HOUR + 7 * DAY);
    expect(await next(c.tomas)).toBe(clock + HOUR);
    expect(await next(c.tomas, c.room)).toBe(clock + HOUR + 7 * DAY);
    expect(await c.m.invoke('pt', 'ws', 'schedule.nextFree', { therapistId: null, roomId: null, minutes: 45 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('an Undo right after booking cancels the whole booking without counting as a late cancellation', async () => {
    const c = await clinic();
    const series = value<Appointment[]>(await bookFor(c, { start: clock + HOUR, weeks: 3 }));
    const undone = value<Appointment[]>(
      await c.m.invoke('desk', 'ws', 'schedule.setStatus', {
        appointmentId: series[0]!.appointmentId,
        status: 'cancelled',
        reason: null,
        scope: 'following',
        bookedInError: true,
      }),
    );
    expect(undone.map((a) => [a.status, a.statusReason])).toEqual(
      Array.from({ length: 3 }, () => ['cancelled', 'Booked in error (undone right after booking)']),
    );
  });

  it('lists, renames and retires rooms and types (managers only); retired ones are not offered but stay on their visits', async () => {
    const c = await clinic();
    const [visit] = value<Appointment[]>(await bookFor(c, { roomId: c.room }));
    expect(await c.m.invoke('desk', 'ws', 'schedule.defineRoom', { roomId: c.room, name: 'Table A', active: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'schedule.defineRoom', { roomId: c.room, name: 'Table A', active: true })).toMatchObject({ ok: true });
    expect(await c.m.invoke('mgr', 'ws', 'schedule.defineRoom', { roomId: null, name: 'table a', active: true })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'There is already a room called table a. Choose another name.' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'schedule.defineRoom', { roomId: 'ab'.repeat(16), name: 'Gym', active: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await c.m.invoke('mgr', 'ws', 'schedule.defineRoom', { roomId: c.room, name: 'Table A', active: false });
    await c.m.invoke('mgr', 'ws', 'schedule.defineType', {
      typeId: c.type,
      name: 'Follow-up (old)',
      minutes: 45,
      category: 'follow_up',
      active: false,
    });
    expect(value<{ name: string; active: boolean }[]>(await c.m.invoke('desk', 'ws', 'schedule.rooms', {}))).toEqual([
      { roomId: c.room, name: 'Table A', active: false },
    ]);
    expect(await bookFor(c, { start: MONDAY_9 + DAY, typeId: c.type })).toMatchObject({
      ok: false,
      error: { message: 'Choose an appointment type.' },
    });
    const newType = value<{ typeId: string }>(
      await c.m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true }),
    ).typeId;
    expect(await bookFor(c, { start: MONDAY_9 + DAY, typeId: newType, roomId: c.room })).toMatchObject({
      ok: false,
      error: { message: 'Choose an open room.' },
    });
    expect(
      await c.m.invoke('desk', 'ws', 'schedule.move', {
        appointmentId: visit!.appointmentId,
        start: MONDAY_9 + DAY,
        roomId: c.room,
        scope: 'one',
        allowConflict: false,
      }),
    ).toMatchObject({ ok: true }); // its own room stays, retired or not
    expect(value<Appointment[]>(await c.m.invoke('desk', 'ws', 'schedule.range', { from: clock, to: MONDAY_9 + 2 * DAY }))[0]).toMatchObject({
      roomName: 'Table A',
      typeName: 'Follow-up (old)',
    });
  });
});

describe('schedule convergence', () => {
  it('any delivery order of concurrent bookings, moves and status changes from two devices gives the same schedule', async () => {
    const c = await clinic();
    const bKey = generateDeviceKeyPair();
    const manager = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
    const clinicId = (c.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    c.m.ledger.append({ stream: `c:${clinicId}/public`, kind: 'device.enrolled', by: manager, body: { device: bKey.publicKey, label: 'Desk 2' } });
    const fran = (c.m.db.prepare("SELECT id FROM view_staff WHERE role = 'front_desk'").get() as { id: string }).id;
    const ctx = { session: { staffId: fran, role: 'front_desk' as const }, bridge: 'cli' as const };
    const base = storedEntries(c.m.ledger);
    const keys = [c.ana, c.ben].map((id) => [id, c.m.keystore.keyFor(id)!] as const);
    const withKeys = (ledger: TestLedger) => {
      for (const [id, key] of keys) ledger.keystore.storeKey(id, key, 0);
      return ledger;
    };
    fc.assert(
      fc.property(
        fc.array(fc.record({ device: fc.boolean(), op: fc.integer({ min: 0, max: 3 }), slot: fc.integer({ min: 0, max: 3 }), sync: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(),
        (ops, seed) => {
          const a = withKeys(tempLedger(undefined, () => clock));
          for (const e of base) a.ingest(e.bytes, e.sig, 'seed');
          const b = withKeys(tempLedger(bKey, () => clock));
          for (const e of base) b.ingest(e.bytes, e.sig, 'seed');
          const deps = (l: TestLedger) => ({ ledger: l, keystore: l.keystore, now: () => clock });
          const exchange = (from: Ledger, to: Ledger) => {
            for (const e of storedEntries(from)) to.ingest(e.bytes, e.sig, 'sync');
          };
          for (const o of ops) {
            const l = o.device ? a : b;
            const ids = appointmentIds(l.db);
            const target = ids[o.slot % Math.max(1, ids.length)];
            try {
              if (o.op === 0 || !target) {
                book(
                  deps(l),
                  {
                    patientId: o.slot % 2 ? c.ana : c.ben,
                    therapistId: c.priya,
                    roomId: c.room,
                    typeId: c.type,
                    start: MONDAY_9 + o.slot * HOUR,
                    weeks: 1 + (o.slot % 2),
                    allowConflict: true,
                  },
                  ctx,
                );
              } else if (o.op === 1) {
                move(
                  deps(l),
                  { appointmentId: target, start: MONDAY_9 + (o.slot + 5) * HOUR, scope: o.slot % 2 ? 'one' : 'following', allowConflict: true },
                  ctx,
                );
              } else {
                setStatus(deps(l), { appointmentId: target, status: o.op === 2 ? 'cancelled' : 'checked_in', reason: 'test', scope: 'one' }, ctx);
              }
            } catch {
              // A refused transition (e.g. moving a cancelled visit) is part of the scenario.
            }
            if (o.sync) {
              exchange(a, b);
              exchange(b, a);
            }
          }
          exchange(a, b);
          exchange(b, a);
          expect(viewDigest(b.db)).toBe(viewDigest(a.db));
          const all = storedEntries(a);
          const order = fc.sample(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), { seed, numRuns: 1 })[0]!;
          const fresh = withKeys(tempLedger());
          for (const e of order) fresh.ingest(e.bytes, e.sig, 'shuffle');
          expect(viewDigest(fresh.db)).toBe(viewDigest(a.db));
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});
