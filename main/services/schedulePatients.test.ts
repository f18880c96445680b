// The patient identifiers on every appointment row (docs/architecture.md#patient-identifiers):
// the date of birth as a second identifier, and how many other patients share the name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../shared/api/index.js';
import type { Appointment, PatientSummary } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const HOUR = 3_600_000;
const clock = Date.UTC(2026, 10, 23, 8);
const MONDAY = Date.UTC(2026, 10, 30);

type Ok<T> = { ok: true; value: T };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => (r as Ok<T>).value;

async function clinic() {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-schedule-patients-')), () => clock, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', {
    clinicName: 'Harbour Rehab',
    managerName: 'Lee Chen',
    passphrase: 'manager passphrase 1',
    timeZone: 'UTC',
  });
  const priya = value<{ id: string }>(
    await m.invoke('mgr', 'ws', 'staff.add', { name: 'Priya', role: 'therapist', licence: null, passphrase: 'Priya passphrase' }),
  ).id;
  const type = value<{ typeId: string }>(
    await m.invoke('mgr', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  const register = async (givenName: string, familyName: string, dateOfBirth: string) =>
    value<PatientSummary>(
      await m.invoke('mgr', 'ws', 'patient.register', {
        confirmDuplicate: true,
        details: {
          givenName,
          familyName,
          preferredName: null,
          dateOfBirth,
          sex: 'female',
          phone: null,
          email: null,
          address: null,
          emergencyContact: null,
          referralSource: null,
          insurance: null,
        },
      }),
    ).patientId;
  const book = async (patientId: string, hour: number) =>
    value<Appointment[]>(
      await m.invoke('mgr', 'ws', 'schedule.book', {
        patientId,
        therapistId: priya,
        roomId: null,
        typeId: type,
        start: MONDAY + hour * HOUR,
        weeks: 1,
        allowConflict: true,
      }),
    )[0]!;
  return { m, register, book };
}

describe('appointment rows name the patient unambiguously', () => {
  it('carry the date of birth and count the other patients of the clinic with the same name, accents and case ignored', async () => {
    const c = await clinic();
    const olivia1 = await c.register('Olivia', 'Tanaka', '1986-05-28');
    const olivia2 = await c.register('Olivia', 'Tanaka', '1990-02-11');
    // Same name as a person reads it: accents and case do not make a different name.
    await c.register('OLÍVIA', 'tanaka', '1975-09-30');
    const nora = await c.register('Nora', 'Tanaka', '1986-05-28');
    const booked = await c.book(olivia1, 9);
    expect(booked).toMatchObject({ patientName: 'Tanaka, Olivia', patientDateOfBirth: '1986-05-28', patientNamesakes: 2 });
    await c.book(olivia2, 9.5);
    await c.book(nora, 11);

    const day = value<Appointment[]>(await c.m.invoke('mgr', 'ws', 'schedule.range', { from: MONDAY, to: MONDAY + 24 * HOUR }));
    expect(day.map((a) => [a.patientName, a.patientDateOfBirth, a.patientNamesakes])).toEqual([
      ['Tanaka, Olivia', '1986-05-28', 2],
      ['Tanaka, Olivia', '1990-02-11', 2],
      ['Tanaka, Nora', '1986-05-28', 0],
    ]);
    // The double bookings list (the two Olivias overlap) carries the same identifiers.
    const pairs = value<{ a: Appointment; b: Appointment }[]>(await c.m.invoke('mgr', 'ws', 'schedule.conflicts', { from: clock }));
    expect(pairs.flatMap((p) => [p.a.patientDateOfBirth, p.b.patientDateOfBirth]).sort()).toEqual(['1986-05-28', '1990-02-11']);

    // The identifiers are read, not stored: a rebuilt schedule answers the same.
    const before = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(before);
    expect(value<Appointment[]>(await c.m.invoke('mgr', 'ws', 'schedule.range', { from: MONDAY, to: MONDAY + 24 * HOUR }))).toEqual(day);
  });

  it('go only to roles that may read patients: every role that may list appointments may also open and search patients', () => {
    // The rows carry the patient's name and date of birth, which patient.get and patient.search
    // give to these roles anyway; a role added to the schedule's access list without them would
    // receive patient data the API does not otherwise allow it, so this must hold.
    for (const call of ['schedule.range', 'schedule.conflicts', 'schedule.book', 'schedule.move', 'schedule.setStatus'] as const) {
      const access = api[call].access;
      expect(access).not.toBe('anyone');
      for (const role of access === 'anyone' ? [] : access) {
        expect(api['patient.get'].access, `${call} → ${role}`).toContain(role);
        expect(api['patient.search'].access, `${call} → ${role}`).toContain(role);
      }
    }
  });
});
