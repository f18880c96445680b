// After an erasure (docs/architecture.md#erasure), nothing of the patient is left in the database
// for someone holding the folder and its key: no table, no column (views, search tokens, keys, sync
// state, pending and quarantined entries, the ledger itself), and no byte of the decrypted
// database, free pages included, or of its write-ahead log; and `movelog verify` passes.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PatientSummary } from '../shared/api/index.js';
import { openMovelog } from '../main/core.js';
import type { Movelog } from '../main/core.js';
import { movelogCli } from './support/cli.js';
import { tempDataDir } from './support/host.js';
import { fileHits, plaintextHits } from './netns/movelogNet.js';

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown): T => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const PERSON = {
  givenName: 'Wilhelmina',
  familyName: 'Abernathy',
  preferredName: 'Mina',
  dateOfBirth: '1948-07-19',
  sex: 'female',
  phone: '+44 7700 900817',
  email: 'w.abernathy@example.org',
  address: '14 Quayside Terrace, Falmouth',
  emergencyContact: { name: 'Rowland Abernathy', phone: '+44 7700 900818', relationship: 'son' },
  referralSource: null,
  insurance: null,
} as const;
const NOTE = 'Osteoarthritic crepitus, retropatellar, aggravated descending staircases';
const ADDENDUM = 'Quadriceps lag resolved after eccentric programme';
const digits = (phone: string) => phone.replace(/\D/g, '');
/** Every form the patient's plaintext takes in a database: names, date of birth, phone as typed, its digits and reversed digits, note words. */
const NEEDLES = [
  PERSON.givenName,
  PERSON.familyName,
  PERSON.preferredName,
  PERSON.dateOfBirth,
  PERSON.phone,
  digits(PERSON.phone),
  digits(PERSON.phone).split('').reverse().join(''),
  PERSON.email,
  'Quayside',
  'Rowland',
  'crepitus',
  'retropatellar',
  'staircases',
  'eccentric programme',
];

const opened: Movelog[] = [];
afterAll(() => {
  for (const m of opened) m.close();
});

describe('after an erasure', () => {
  it("no table, and no byte of the decrypted database or its WAL, holds the patient's name, phone or note words; verify passes", async () => {
    const dir = tempDataDir('movelog-erasure-');
    const m = openMovelog(dir, Date.now, { warn: () => undefined, error: () => undefined });
    opened.push(m);
    value(await m.invoke('mgr', 'cli', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
    const pt = value<{ id: string }>(
      await m.invoke('mgr', 'cli', 'staff.add', { name: 'Priya Nair', role: 'therapist', licence: 'PT-1', passphrase: 'Priya passphrase' }),
    ).id;
    value(await m.invoke('pt', 'cli', 'session.signIn', { staffId: pt, passphrase: 'Priya passphrase' }));

    // A record with every kind of row: two versions of the details, a visit, a note and its addendum, readings.
    const patientId = value<PatientSummary>(await m.invoke('mgr', 'cli', 'patient.register', { confirmDuplicate: true, details: PERSON })).patientId;
    value(await m.invoke('mgr', 'cli', 'patient.update', { patientId, details: { ...PERSON, address: '15 Quayside Terrace, Falmouth' } }));
    const type = value<{ typeId: string }>(
      await m.invoke('mgr', 'cli', 'schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }),
    ).typeId;
    const start = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
    value(
      await m.invoke('mgr', 'cli', 'schedule.book', { patientId, therapistId: pt, roomId: null, typeId: type, start, weeks: 2, allowConflict: true }),
    );
    const note = value<{ hash: string }>(
      await m.invoke('pt', 'cli', 'notes.sign', {
        patientId,
        note: { type: 'evaluation', appointmentId: null, subjective: NOTE, objective: '', assessment: '', plan: '', pain: 4 },
      }),
    );
    value(await m.invoke('pt', 'cli', 'notes.addendum', { patientId, note: note.hash, text: ADDENDUM }));
    value(await m.invoke('pt', 'cli', 'patient.get', { patientId }));
    expect(value<PatientSummary[]>(await m.invoke('pt', 'cli', 'patient.search', { query: 'abernathy' }))).toHaveLength(1);

    // Positive control: the scan finds the patient while the record is readable.
    const before = plaintextHits(m.db, NEEDLES);
    for (const needle of [PERSON.familyName, PERSON.phone, digits(PERSON.phone), 'crepitus', 'eccentric programme'])
      expect(before.some((h) => h.endsWith(`: ${needle}`))).toBe(true);
    expect(fileHits(dir, NEEDLES).length).toBeGreaterThan(0);

    value(await m.invoke('mgr', 'cli', 'clinic.setRetention', { years: 0 }));
    value(
      await m.invoke('mgr', 'cli', 'patient.erase', {
        patientId,
        requestedOn: '2026-01-05',
        receivedVia: 'email',
        overrideReason: null,
        confirm: 'Abernathy',
      }),
    );
    // The write-ahead log was checkpointed and truncated: no older page of the patient waits in it.
    expect(statSync(join(dir, 'movelog.db-wal')).size).toBe(0);

    expect(plaintextHits(m.db, NEEDLES)).toEqual([]);
    expect(fileHits(dir, NEEDLES)).toEqual([]);
    m.close();
    // Closed, and opened again from the files alone: still nothing, and the chain verifies.
    expect(fileHits(dir, NEEDLES)).toEqual([]);
    const verify = await movelogCli(['verify', '--data', dir]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
