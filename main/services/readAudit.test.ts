// Every read of patient data leaves its access entry (docs/architecture.md#access-audit): a
// generic test over the API table, like the role test (access.test.ts). Each call whose reply
// names a patient must say how it is recorded (`reads` in shared/api/calls/*); each reading call,
// made by every role it allows over real data, must leave an access entry naming exactly the
// patients it showed, and a reply that shows no one leaves none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api, CALL_NAMES } from '../../shared/api/index.js';
import type { CallName, Role } from '../../shared/api/index.js';
import type { PatientReads } from '../../shared/api/calls/define.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { LedgerError } from '../ledger/ledger.js';
import { patientOfStream } from '../ledger/streams.js';
import { registerTestPatient, testPatientDetails } from '../testing/patients.js';

const quiet = { warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;
const clock = Date.UTC(2026, 10, 23, 8);
const MONDAY = Date.UTC(2026, 10, 30);

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const readsOf = (name: CallName) => api[name].reads as PatientReads<unknown, unknown>;

/**
 * Members that make a reply patient data: a patient's identity (id, name, date of birth) or the
 * content of their clinical record (a note's sections and measures, a version-1 note's SOAP text).
 */
const PATIENT_MEMBERS = ['patientId', 'patientName', 'givenName', 'familyName', 'dateOfBirth', 'sections', 'measures', 'subjective', 'assessment'];

/** Whether a schema describes, anywhere inside it, an object with one of PATIENT_MEMBERS. */
function namesPatients(schema: unknown, seen = new Set<unknown>()): boolean {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return false;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (def === undefined) return false;
  const shape = def['shape'] as Record<string, unknown> | undefined;
  if (shape && PATIENT_MEMBERS.some((k) => Object.hasOwn(shape, k))) return true;
  const inner = Object.values(def).flatMap((v): unknown[] =>
    Array.isArray(v) ? (v as unknown[]) : v !== null && typeof v === 'object' && !('_zod' in v) ? Object.values(v) : [v],
  );
  return inner.some((v) => namesPatients(v, seen));
}

describe('the API table says which calls return patient data', () => {
  it('every call whose reply holds patient data declares how the reading is recorded', () => {
    const undeclared = CALL_NAMES.filter((name) => namesPatients(api[name].output) && readsOf(name) === null);
    expect(undeclared).toEqual([]);
  });

  it('finds the calls it should (the detection itself works)', () => {
    const detected = CALL_NAMES.filter((name) => namesPatients(api[name].output));
    for (const name of ['patient.search', 'patient.get', 'schedule.range', 'schedule.conflicts', 'notes.list', 'chart.get', 'consent.get'] as const)
      expect(detected).toContain(name);
    expect(namesPatients((api['staff.list'] as { output: z.ZodType }).output)).toBe(false);
  });
});

/**
 * A clinic with a signed-in staff member of each role (connection = role), two patients born the
 * same day with the same family name (a likely duplicate), visits in a week with a double booking,
 * and a signed note.
 */
let m: Movelog;
const fx = { ana: '', ben: '', cleo: '', eve: '', visit: '', staff: {} as Record<Role, string> };
beforeAll(async () => {
  m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-read-audit-')), () => clock, quiet);
  value(
    await m.invoke('manager', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }),
  );
  fx.staff.manager = value<{ staffId: string }>(await m.invoke('manager', 'ws', 'session.current', {})).staffId;
  for (const [role, name] of [
    ['therapist', 'Priya'],
    ['assistant', 'Alex'],
    ['front_desk', 'Fran'],
  ] as const) {
    const id = value<{ id: string }>(
      await m.invoke('manager', 'ws', 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${name} passphrase` }),
    ).id;
    value(await m.invoke(role, 'ws', 'session.signIn', { staffId: id, passphrase: `${name} passphrase` }));
    fx.staff[role] = id;
  }
  fx.ana = await registerTestPatient(m, 'front_desk', 'Ana');
  fx.ben = await registerTestPatient(m, 'front_desk', 'Ben');
  fx.cleo = await registerTestPatient(m, 'front_desk', 'Cleo');
  const type = value<{ typeId: string }>(
    await m.invoke('manager', 'ws', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
  ).typeId;
  const book = async (patientId: string, start: number, therapistId = fx.staff.therapist) =>
    value<{ appointmentId: string }[]>(
      await m.invoke('front_desk', 'ws', 'schedule.book', {
        patientId,
        therapistId,
        roomId: null,
        typeId: type,
        start,
        weeks: 1,
        allowConflict: true,
      }),
    )[0]!.appointmentId;
  fx.visit = await book(fx.ana, MONDAY + 9 * HOUR);
  await book(fx.ben, MONDAY + 9 * HOUR); // a double booking with Ana's visit
  // Clinicians read the records in their care (docs/architecture.md#break-the-glass): visits two
  // weeks on, apart from the week and the double booking the lists are asked for.
  await book(fx.ana, MONDAY + 14 * 24 * HOUR + 10 * HOUR, fx.staff.assistant);
  await book(fx.cleo, MONDAY + 14 * 24 * HOUR + 11 * HOUR);
  await book(fx.cleo, MONDAY + 14 * 24 * HOUR + 12 * HOUR, fx.staff.assistant);
  // Eve is in no one's care: the therapist opens her record as an emergency access, which waits for review.
  fx.eve = await registerTestPatient(m, 'front_desk', 'Eve');
  value(await m.invoke('therapist', 'ws', 'patient.breakGlass', { patientId: fx.eve, reason: 'Covering for a colleague today' }));
  value(
    await m.invoke('therapist', 'ws', 'notes.sign', {
      patientId: fx.ana,
      note: {
        type: 'daily',
        appointmentId: null,
        episodeId: null,
        sections: { subjective: 'Better.' },
        measures: [{ kind: 'pain', side: 'none', value: 2 }],
      },
    }),
  );
  // An assistant's note of Cleo's waits for a therapist's co-signature (the co-signature queue).
  value(
    await m.invoke('assistant', 'ws', 'notes.sign', {
      patientId: fx.cleo,
      note: { type: 'daily', appointmentId: null, episodeId: null, sections: { subjective: 'Walked to the clinic.' } },
    }),
  );
});
afterAll(() => m.close());

/** For each reading call: an input over the fixture and the patients its reply shows. */
const SAMPLES: Record<string, () => { input: unknown; shows: string[] }> = {
  'patient.get': () => ({ input: { patientId: fx.ana }, shows: [fx.ana] }),
  'patient.search': () => ({ input: { query: 'tester' }, shows: [fx.ana, fx.ben, fx.cleo, fx.eve] }),
  'patient.findDuplicates': () => ({ input: { givenName: 'Anna', familyName: 'Tester', dateOfBirth: '1980-01-01', phone: null }, shows: [fx.ana] }),
  'notes.list': () => ({ input: { patientId: fx.ana }, shows: [fx.ana] }),
  'chart.get': () => ({ input: { patientId: fx.ana }, shows: [fx.ana] }),
  'notes.cosignQueue': () => ({ input: {}, shows: [fx.cleo] }),
  // Monday's visits: Ana's and Ben's (the double booking), with the codes their notes bill.
  'billing.day': () => ({ input: { date: '2026-11-30' }, shows: [fx.ana, fx.ben] }),
  'schedule.range': () => ({ input: { from: MONDAY, to: MONDAY + 7 * 24 * HOUR }, shows: [fx.ana, fx.ben] }),
  'schedule.conflicts': () => ({ input: { from: MONDAY }, shows: [fx.ana, fx.ben] }),
  'schedule.history': () => ({ input: { appointmentId: fx.visit }, shows: [fx.ana] }),
  'consent.get': () => ({ input: { patientId: fx.cleo }, shows: [fx.cleo] }),
  // The audit report's rows name the patients whose records they are in (all four, this month).
  'audit.rows': () => ({
    input: { filter: { from: '2026-11-01', to: '2026-11-30' }, after: null, limit: 500 },
    shows: [fx.ana, fx.ben, fx.cleo, fx.eve],
  }),
  'patient.breakGlass': () => ({ input: { patientId: fx.eve, reason: 'Patient called with a question' }, shows: [fx.eve] }),
  'access.emergencies': () => ({ input: {}, shows: [fx.eve] }),
  'patient.accessReport': () => ({ input: { patientId: fx.ben }, shows: [fx.ben] }),
};

interface AccessSeen {
  readonly kind: string;
  readonly by: string | null;
  readonly patients: readonly string[];
}

/** The access entries stored after local_seq `after`, with the patients each names. */
function accessSince(after: number): AccessSeen[] {
  return m.db
    .prepare<[number], { bytes: Buffer }>("SELECT bytes FROM entries WHERE local_seq > ? AND kind LIKE 'access.%' ORDER BY local_seq")
    .all(after)
    .map((r) => {
      const e = JSON.parse(r.bytes.toString('utf8')) as { kind: string; stream: string; by: string | null; body: { patients?: string[] } };
      return { kind: e.kind, by: e.by, patients: e.kind === 'access.read' ? [patientOfStream(e.stream) as string] : (e.body.patients ?? []) };
    });
}
const lastSeq = () => (m.db.prepare('SELECT coalesce(max(local_seq), 0) AS n FROM entries').get() as { n: number }).n;

const readingCalls = CALL_NAMES.filter((name) => {
  const reads = readsOf(name);
  return reads !== null && reads.kind !== 'written';
});

describe('every reading call writes its access entry', () => {
  it('has a sample for every reading call in the table', () => {
    expect(readingCalls.slice().sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  const cases = readingCalls.flatMap((name) => {
    const access = api[name].access;
    const roles = access === 'anyone' ? (['manager'] as const) : access;
    return roles.map((role) => [name, role] as const);
  });
  it.each(cases)('%s, asked by the %s role, records the patients it showed', async (name, role) => {
    const sample = (SAMPLES[name] as () => { input: unknown; shows: string[] })();
    const before = lastSeq();
    const result = await m.invoke(role, 'ws', name, sample.input);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const reads = readsOf(name);
    if (reads?.kind === 'listed') {
      const output = (result as { value: unknown }).value;
      expect([...new Set(reads.patients(output, sample.input))].sort()).toEqual([...sample.shows].sort());
    }
    const seen = accessSince(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.by).toBe(fx.staff[role]);
    expect([...new Set(seen.flatMap((s) => s.patients))].sort()).toEqual([...sample.shows].sort());
    // The patient's record lists the reading (the access panel: patient.accessLog).
    const log = value<{ staffName: string | null; role: string | null; action: string }[]>(
      await m.invoke('manager', 'ws', 'patient.accessLog', { patientId: sample.shows[0] }),
    );
    expect(log.some((l) => l.role === role)).toBe(true);
  });

  it('a list that shows no one writes nothing', async () => {
    const before = lastSeq();
    expect(value<unknown[]>(await m.invoke('front_desk', 'ws', 'patient.search', { query: 'nobody' }))).toEqual([]);
    expect(value<unknown[]>(await m.invoke('front_desk', 'ws', 'schedule.range', { from: 0, to: HOUR }))).toEqual([]);
    expect(lastSeq()).toBe(before);
  });

  it('a refusal that names patients (a likely duplicate) records them', async () => {
    const before = lastSeq();
    const result = await m.invoke('front_desk', 'ws', 'patient.register', { confirmDuplicate: false, details: testPatientDetails('Ana') });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Nothing registered; the warning that showed Ana's record is recorded (or was, within the window).
    const seen = accessSince(before);
    expect(seen.every((s) => s.kind === 'access.listed')).toBe(true);
    expect(
      m.db
        .prepare("SELECT count(*) AS n FROM view_patient_listed WHERE patient_id = ? AND call = 'patient.register' AND staff_id = ?")
        .get(fx.ana, fx.staff.front_desk),
    ).toEqual({ n: 1 });
  });
});

describe('a reading that cannot be recorded', () => {
  it('is not given: a deactivated staff member sees no list, even from a session another process still holds', async () => {
    await registerTestPatient(m, 'front_desk', 'Dora'); // someone the assistant has not seen yet
    value(await m.invoke('manager', 'ws', 'staff.deactivate', { staffId: fx.staff.assistant }));
    const before = lastSeq();
    // This process ended the session…
    expect(await m.invoke('assistant', 'ws', 'patient.search', { query: 'dora' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // …and where one is still held, the list cannot be recorded, so it is not returned.
    const held = { session: { staffId: fx.staff.assistant, role: 'assistant' as const }, bridge: 'ws' as const };
    expect(() => m.services['patient.search']({ query: 'dora' }, held)).toThrow(LedgerError);
    expect(accessSince(before)).toEqual([]);
  });
});
