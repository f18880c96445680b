// Erasure across two clinics over real sync (docs/architecture.md#erasure): Harbour (the patient's
// home clinic) shares a patient with Summit, each clinic's computer running `movelog sync` in its
// own network namespace. Harbour's manager erases the record; the erasure reaches Summit through
// the consent stream, and afterwards no table on either computer holds the patient's plaintext,
// no byte of either decrypted database does, and `movelog verify` passes on both.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Movelog } from '../../main/core.js';
import { patientStream } from '../../main/ledger/streams.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import {
  clinic,
  clinicId,
  eventually,
  fileHits,
  finished,
  managerId,
  movelog,
  open,
  PASSPHRASE,
  plaintextHits,
  startSignal,
  stop,
  sync,
  trustClinics,
} from './movelogNet.js';
import type { Device } from './movelogNet.js';

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const call = async <T>(m: Movelog, connection: string, name: string, input: unknown): Promise<T> => {
  const result = (await m.invoke(connection, 'ws', name, input)) as Result<T>;
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
};

const PERSON = {
  givenName: 'Ottoline',
  familyName: 'Wrexham',
  preferredName: null,
  dateOfBirth: '1963-02-11',
  sex: 'female',
  phone: '+44 7700 900532',
  email: 'o.wrexham@example.org',
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;
const NOTE = 'Plantar fasciitis, first steps in the morning worst, calf tightness';
const digits = (phone: string) => phone.replace(/\D/g, '');
const NEEDLES = [
  PERSON.givenName,
  PERSON.familyName,
  PERSON.dateOfBirth,
  PERSON.phone,
  digits(PERSON.phone),
  digits(PERSON.phone).split('').reverse().join(''),
  PERSON.email,
  NOTE,
  'fasciitis',
];

/** Rows of every table holding patients' data keys, for the patient. */
const keysHeld = (m: Movelog, patientId: string) =>
  ['patient_keys', 'patient_key_versions']
    .map((t) => m.db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ${t} WHERE patient_id = ?`).get(patientId)?.n ?? 0)
    .reduce((x, y) => x + y, 0);
const held = (m: Movelog, stream: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(stream)?.n ?? 0;

describe('erasure between two clinics, each computer syncing in its own process', () => {
  let net: Net | undefined;
  const peers: ChildProcessWithoutNullStreams[] = [];
  const opened: Movelog[] = [];

  afterAll(async () => {
    for (const child of peers) await stop(child);
    for (const m of opened) m.close();
    await net?.destroy();
  }, 60_000);

  it(
    "after Harbour erases its patient's record, neither Harbour's nor Summit's computer holds the patient's plaintext, and both verify",
    { timeout: 420_000 },
    async () => {
      if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
      net = await createNet({ peers: ['a', 'c'] });
      const signal = await startSignal(net);
      const [harbour] = (await clinic(net, ['a'], signal)) as [Device];
      const [summit] = (await clinic(net, ['c'], signal, { clinic: 'Summit Physio', manager: 'Ana Ruiz' })) as [Device];
      for (const d of [harbour, summit]) peers.push(await sync(net, d, ['--signal', signal]));
      await trustClinics(net, { device: harbour, manager: 'Lee Chen' }, { device: summit, manager: 'Ana Ruiz' }, signal);
      const a = open(harbour);
      const c = open(summit);
      opened.push(a, c);
      await call(a, 'mgr', 'session.signIn', { staffId: managerId(a), passphrase: PASSPHRASE });
      await call(c, 'mgr', 'session.signIn', { staffId: managerId(c), passphrase: PASSPHRASE });
      const pt = await call<{ id: string }>(a, 'mgr', 'staff.add', {
        name: 'Priya Nair',
        role: 'therapist',
        licence: 'PT-1',
        passphrase: 'Priya passphrase',
      });
      await call(a, 'pt', 'session.signIn', { staffId: pt.id, passphrase: 'Priya passphrase' });

      // Harbour's patient, with a note, shared with Summit (profile and clinical).
      const patientId = (await call<{ patientId: string }>(a, 'mgr', 'patient.register', { confirmDuplicate: true, details: PERSON })).patientId;
      await call(a, 'pt', 'notes.sign', {
        patientId,
        note: { type: 'daily', appointmentId: null, subjective: NOTE, objective: '', assessment: '', plan: '', pain: 3 },
      });
      await call(a, 'mgr', 'consent.grant', {
        patientId,
        grantee: clinicId(c),
        categories: ['profile', 'clinical'],
        from: null,
        until: null,
        purpose: 'second_opinion',
        note: '',
        capture: { method: 'verbal', witness: 'Lee Chen' },
      });
      // Positive control: Summit receives the record and its key, and its tables hold the plaintext.
      await eventually(
        () => keysHeld(c, patientId) > 0 && plaintextHits(c.db, [PERSON.familyName, NOTE]).length >= 2,
        120_000,
        () => `Summit keys ${String(keysHeld(c, patientId))}, plaintext ${plaintextHits(c.db, NEEDLES).join(', ')}`,
      );
      expect(plaintextHits(a.db, NEEDLES).length).toBeGreaterThan(0);

      // Summit may not erase Harbour's record; Harbour's manager does (the note is new: the retention period is overridden).
      expect(
        await c.invoke('mgr', 'ws', 'patient.erase', {
          patientId,
          requestedOn: '2026-01-05',
          receivedVia: 'letter',
          overrideReason: null,
          confirm: PERSON.familyName,
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      await call(a, 'mgr', 'patient.erase', {
        patientId,
        requestedOn: '2026-01-05',
        receivedVia: 'letter',
        overrideReason: 'The patient never attended; nothing to retain.',
        confirm: PERSON.familyName,
      });
      expect(keysHeld(a, patientId)).toBe(0);
      expect(plaintextHits(a.db, NEEDLES)).toEqual([]);

      // Summit's sync process receives the erasure and acts on it: no key, no plaintext in any table.
      await eventually(
        () => held(c, patientStream(patientId, 'consent')) === held(a, patientStream(patientId, 'consent')) && keysHeld(c, patientId) === 0,
        120_000,
        () => `Summit keys ${String(keysHeld(c, patientId))}; consent entries ${String(held(c, patientStream(patientId, 'consent')))}`,
      );
      await eventually(
        () => plaintextHits(c.db, NEEDLES).length === 0,
        60_000,
        () => `Summit still holds: ${plaintextHits(c.db, NEEDLES).join(', ')}`,
      );
      const shown = await call<{ readable: boolean; erased: { requestedOn: string } | null }[]>(c, 'mgr', 'patient.search', { query: patientId });
      expect(shown).toMatchObject([{ readable: false, erased: { requestedOn: '2026-01-05' } }]);

      // Stopped and closed: no byte of either decrypted database holds the patient, and both verify.
      for (const child of peers.splice(0)) expect(await stop(child)).toBe(0);
      for (const m of opened.splice(0)) m.close();
      for (const d of [harbour, summit]) {
        expect(fileHits(d.dir, NEEDLES)).toEqual([]);
        const verify = await finished(movelog(net, d.name, ['verify', '--data', d.dir]));
        expect(verify.code, `${d.name}: ${verify.stdout}${verify.stderr}`).toBe(0);
      }
    },
  );
});
