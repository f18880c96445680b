// The access audit of lists at the scale of a busy clinic (docs/architecture.md#access-audit): a
// week view of 2,000 visits costs at most 10 entries, and each patient's record still says who
// saw them, when, where and through which request.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/api/index.js';
import { LISTED_PATIENTS_MAX } from '../../shared/ledger/kinds/clinic.js';
import { demoPatients } from '../cli/demo.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import type { CallContext } from './context.js';
import { registerPatients } from './patients.js';
import { chunkIds, LISTED_AGAIN_AFTER_MS, LISTED_ID_BYTES_MAX } from './reads.js';
import { patientAccessLog } from '../views/patients.js';
import { readClinic } from '../clinic/queries.js';
import { clinicStream } from '../ledger/streams.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';

const quiet = { warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.UTC(2026, 10, 30);
const VISITS = 2_000;
/** The bound this file holds the week view to: ⌈2,000 ids × 35 bytes / 7,000 bytes⌉ = 10. */
const MAX_ENTRIES_PER_WEEK_VIEW = 10;

let clock = Date.UTC(2026, 10, 23, 8);
let m: Movelog;
let desk: CallContext;
let manager: CallContext;
let patients: string[];

beforeAll(async () => {
  m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-reads-')), () => clock, quiet);
  const clinic = await m.services['clinic.setup'](
    { clinicName: 'Busy Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' },
    {
      session: null,
      bridge: 'cli',
    },
  );
  manager = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
  const therapists: string[] = [];
  for (let i = 0; i < 40; i++)
    therapists.push(
      (await m.services['staff.add']({ name: `Therapist ${i}`, role: 'therapist', licence: null, passphrase: 'a passphrase 123' }, manager)).id,
    );
  const fran = await m.services['staff.add']({ name: 'Fran', role: 'front_desk', licence: null, passphrase: 'a passphrase 123' }, manager);
  desk = { session: { staffId: fran.id, role: 'front_desk' }, bridge: 'ipc' };
  const type = (
    await m.services['schedule.defineType']({ typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true }, manager)
  ).typeId;
  // 2,000 patients, one visit each: the worst case for a list, every row a different patient.
  patients = registerPatients({ ledger: m.ledger, keystore: m.keystore }, demoPatients(VISITS, 3), clinic.manager.id);
  for (let i = 0; i < VISITS; i++) {
    const slot = Math.floor(i / therapists.length);
    const start = MONDAY + (slot % 5) * DAY + 8 * HOUR + Math.floor(slot / 5) * 1_800_000;
    await m.services['schedule.book'](
      {
        patientId: patients[i] as string,
        therapistId: therapists[i % therapists.length] as string,
        roomId: null,
        typeId: type,
        start,
        weeks: 1,
        allowConflict: true,
      },
      manager,
    );
  }
}, 120_000);
afterAll(() => m.close());

const listed = () =>
  m.db
    .prepare<[], { bytes: Buffer }>("SELECT bytes FROM entries WHERE kind = 'access.listed' ORDER BY local_seq")
    .all()
    .map((r) => ({
      size: r.bytes.length,
      entry: JSON.parse(r.bytes.toString('utf8')) as { by: string; body: { patients: string[]; call: string } },
    }));
const week = { from: MONDAY, to: MONDAY + 7 * DAY };

describe('a week view of 2,000 visits', () => {
  it(`costs at most ${MAX_ENTRIES_PER_WEEK_VIEW} entries, each small enough for one sync batch, naming every patient shown once`, async () => {
    const before = listed().length;
    const shown: Appointment[] = await m.services['schedule.range'](week, desk);
    expect(shown).toHaveLength(VISITS);
    const added = listed().slice(before);
    expect(added.length).toBeGreaterThan(0);
    expect(added.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_WEEK_VIEW);
    for (const a of added) {
      expect(a.size).toBeLessThan(12_000);
      expect(a.entry).toMatchObject({
        by: desk.session?.staffId,
        body: { call: 'schedule.range', role: 'front_desk', via: 'ipc', mode: 'ordinary' },
      });
    }
    const named = added.flatMap((a) => a.entry.body.patients);
    expect(named).toHaveLength(VISITS);
    expect(new Set(named)).toEqual(new Set(shown.map((a) => a.patientId)));
  });

  it('costs nothing more when the same person asks again within the window (the calendar refreshes)', async () => {
    const before = listed().length;
    clock += 60_000;
    await m.services['schedule.range'](week, desk);
    await m.services['schedule.range']({ from: MONDAY, to: MONDAY + DAY }, desk);
    expect(listed().length).toBe(before);
  });

  it('is recorded again for another person, and after the window', async () => {
    let before = listed().length;
    await m.services['schedule.range'](week, manager);
    expect(listed().length - before).toBeLessThanOrEqual(MAX_ENTRIES_PER_WEEK_VIEW);
    expect(listed().length).toBeGreaterThan(before);
    clock += LISTED_AGAIN_AFTER_MS;
    before = listed().length;
    await m.services['schedule.range'](week, desk);
    expect(listed().length - before).toBeGreaterThan(0);
    expect(listed().length - before).toBeLessThanOrEqual(MAX_ENTRIES_PER_WEEK_VIEW);
  });

  it("answers who saw a patient on a given day, and where: the patient's access history shows the list", async () => {
    const patient = patients[1234] as string;
    const day = Date.UTC(2026, 10, 23);
    const rows = patientAccessLog(m.db, patient, day, day + DAY);
    expect(rows.map((r) => [r.call, r.role, r.what])).toContainEqual(['schedule.range', 'front_desk', 'listed']);
    expect(rows.every((r) => r.device !== null && r.staffName !== null)).toBe(true);
    expect(patientAccessLog(m.db, patient, day + DAY, day + 2 * DAY)).toEqual([]);
    // The same through the API, in words, as the record's access panel shows it.
    const log = await m.services['patient.accessLog']({ patientId: patient }, manager);
    expect(log.find((l) => l.staffName === 'Fran')).toMatchObject({
      what: 'listed',
      call: 'schedule.range',
      action: 'saw the patient in a list (see the schedule)',
    });
  });
});

describe('access.listed in the ledger', () => {
  it('rebuilds to the same views', () => {
    const before = viewDigest(m.db);
    rebuildViews(m.db, m.keystore);
    expect(viewDigest(m.db)).toBe(before);
  });

  it("is refused when it names a role that is not the reader's, or no reader", () => {
    const stream = clinicStream(readClinic(m.db)!.id, 'private');
    const body = { call: 'patient.search', role: 'manager', via: 'cli', purpose: 'care', mode: 'ordinary', patients: [patients[0]!] };
    expect(() => m.ledger.append({ stream, kind: 'access.listed', by: desk.session!.staffId, body })).toThrow(/role recorded/);
    expect(() => m.ledger.append({ stream, kind: 'access.listed', by: null, body })).toThrow();
  });
});

describe('chunkIds', () => {
  it('keeps each chunk within the count and the byte bound, in order', () => {
    const long = Array.from({ length: 1_000 }, (_, i) => i.toString(16).padStart(64, '0'));
    const chunks = chunkIds(long);
    expect(chunks.flat()).toEqual(long);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(LISTED_PATIENTS_MAX);
      expect(JSON.stringify(c).length).toBeLessThanOrEqual(LISTED_ID_BYTES_MAX + 2);
    }
    expect(chunkIds([])).toEqual([]);
  });
});
