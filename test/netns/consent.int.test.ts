// Consent between two clinics over real sync (issue 12, docs/architecture.md#consent): Harbour with
// two devices, Summit with one, trusted through an invitation code, each device running
// `movelog sync` in its own network namespace. The test process opens each data folder beside its
// sync process and acts through the services, signed in as the clinics' staff; the sync processes
// pick up what it writes. Each step checks a positive control first, so an absence means something.
import { createHash } from 'node:crypto';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentState } from '../../shared/api/calls/consent.js';
import type { Note } from '../../shared/api/index.js';
import { openMovelog } from '../../main/core.js';
import type { Movelog } from '../../main/core.js';
import { tryOpenBody } from '../../main/ledger/seal.js';
import type { SealedBody } from '../../main/ledger/seal.js';
import { clinicStream, patientStream } from '../../main/ledger/streams.js';
import type { PatientCategory } from '../../main/ledger/streams.js';
import type { Db } from '../../main/store/db.js';
import { createNet, netnsAvailable } from './harness.js';
import type { Net } from './harness.js';
import { clinic, clinicId, eventually, fileHits, managerId, PASSPHRASE, plaintextHits, startSignal, stop, sync, trustClinics } from './movelogNet.js';
import type { Device } from './movelogNet.js';

const SUMMIT = { clinic: 'Summit Physio', manager: 'Ana Ruiz' };
/** How long "a while" is: several rounds of every sync loop (trust re-read every 2 s, publishing, backfill after 3 s). */
const A_WHILE_MS = 10_000;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown): T => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
};
const call = async <T>(m: Movelog, connection: string, name: string, input: unknown): Promise<T> =>
  value<T>(await m.invoke(connection, 'ws', name, input));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A patient as registered at Harbour, and every form their plaintext can take in a database. */
interface Person {
  readonly given: string;
  readonly family: string;
  readonly dob: string;
  readonly phone: string;
  readonly email: string;
  readonly note: string;
}
const digits = (phone: string) => phone.replace(/\D/g, '');
/** The patient's plaintext: names, date of birth, phone as typed, its digits and reversed digits (search indexes), email, note text. */
const needlesOf = (p: Person, ...more: string[]) => [
  p.given,
  p.family,
  p.dob,
  p.phone,
  digits(p.phone),
  digits(p.phone).split('').reverse().join(''),
  p.email,
  p.note,
  ...more,
];

const MARGUERITE: Person = {
  given: 'Marguerite',
  family: 'Oyelaran',
  dob: '1957-03-14',
  phone: '+44 7700 900461',
  email: 'm.oyelaran@example.org',
  note: 'Tenderness over the lateral epicondyle, worse gripping a kettle',
};
const THADDEUS: Person = {
  given: 'Thaddeus',
  family: 'Quennell',
  dob: '1971-09-02',
  phone: '+1 604 555 0193',
  email: 't.quennell@example.net',
  note: 'Rotator cuff tendinopathy; painful arc between 70 and 120 degrees',
};
/** A note Harbour writes after Summit's access ended: it must never reach Summit. */
const AFTER_REVOCATION = 'Written after the revocation: grip dynamometer 31 kg on the left';
const AFTER_EXPIRY = 'Written after the consent expired: external rotation 45 degrees';

/** Entries a device holds in `stream`. */
const held = (m: Movelog, stream: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(stream)?.n ?? 0;
const holds = (m: Movelog, hash: string) => m.db.prepare('SELECT 1 FROM entries WHERE hash = ?').get(hash) !== undefined;

/** Per stream of the patient, the entries a device holds ("profile 1, clinical 1"). */
function patientStreams(m: Movelog, patientId: string): Record<string, number> {
  const rows = m.db
    .prepare<[string], { stream: string; n: number }>("SELECT stream, count(*) AS n FROM entries WHERE stream LIKE 'p:' || ? || '/%' GROUP BY stream")
    .all(patientId);
  return Object.fromEntries(rows.map((r) => [r.stream.slice(r.stream.indexOf('/') + 1), r.n]));
}

/** Entries of the patient's streams (or one entry by hash) waiting in `pending` or kept in `quarantine`. */
function parked(db: Db, needle: string): number {
  const count = (table: string) =>
    db
      .prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE instr(CAST(bytes AS TEXT), ?) > 0 OR hash = ?`)
      .get(needle, needle)?.n ?? 0;
  return count('pending') + count('quarantine');
}

/** Every table holding patients' data keys (a name with "key" and a patient_id column), with the rows it holds for the patient. */
function keyRows(db: Db, patientId: string): Record<string, number> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '%key%' ORDER BY name")
    .all()
    .filter((t) =>
      db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(t.name)
        .some((c) => c.name === 'patient_id'),
    );
  if (tables.length === 0) throw new Error('no table of patient keys found');
  return Object.fromEntries(
    tables.map((t) => [
      t.name,
      db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM "${t.name}" WHERE patient_id = ?`).get(patientId)?.n ?? 0,
    ]),
  );
}
const keysHeld = (db: Db, patientId: string) => Object.values(keyRows(db, patientId)).reduce((a, b) => a + b, 0);

/** A key's id as docs/ledger-format.md defines it: the first 8 bytes of SHA-256("movelog/kid/v1" ‖ 0x00 ‖ key), hex. */
const kidOf = (key: Buffer) => createHash('sha256').update('movelog/kid/v1\0', 'latin1').update(key).digest().subarray(0, 8).toString('hex');

/** The entry as signed (its canonical bytes parsed), from a device's ledger. */
function entryAt(m: Movelog, hash: string): { stream: string; kind: string; body: Record<string, unknown> } {
  const row = m.db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM entries WHERE hash = ?').get(hash);
  if (!row) throw new Error(`no entry ${hash}`);
  return JSON.parse(row.bytes.toString('utf8')) as { stream: string; kind: string; body: Record<string, unknown> };
}

/** The key ids in the sealed bodies of the patient's entries a device holds. */
function bodyKids(m: Movelog, patientId: string): string[] {
  const rows = m.db
    .prepare<[string], { hash: string }>("SELECT hash FROM entries WHERE stream LIKE 'p:' || ? || '/%' AND stream NOT LIKE '%/consent'")
    .all(patientId);
  return [...new Set(rows.map((r) => entryAt(m, r.hash).body.kid).filter((k): k is string => typeof k === 'string'))];
}

describe('consent between two clinics: Harbour (two devices) shares one patient with Summit (one device), then withdraws', () => {
  let net: Net;
  let harbour: Device[];
  let summit: Device;
  const peers = new Map<string, ChildProcessWithoutNullStreams>();
  /** What each sync process printed on stderr. */
  const errors = new Map<string, string>();
  const opened: Movelog[] = [];
  /** Harbour's first and second device, and Summit's, opened in the test process. */
  let a: Movelog;
  let b: Movelog;
  let c: Movelog;
  let H: string;
  let S: string;
  /** Staff passphrases, to sign in again on a freshly opened folder. */
  const staff = new Map<string, { id: string; passphrase: string }>();

  /** What the services logged as internal errors, so a failed call says why. */
  const internal: string[] = [];
  const openDevice = (device: Device) => {
    const m = openMovelog(device.dir, Date.now, {
      warn: () => undefined,
      error: (message, error) =>
        internal.push(`${device.name}: ${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    opened.push(m);
    return m;
  };
  /** Every key a device holds for the patient, read from a freshly opened folder (nothing cached); each key's id is checked here. */
  const keysAt = (device: Device, patientId: string) => {
    const m = openDevice(device);
    const keys = m.keystore.keysOf(patientId).map((k) => {
      expect(kidOf(k.key)).toBe(k.kid);
      return Buffer.from(k.key);
    });
    m.close();
    return keys;
  };
  /** Signs `name` in on `m` as connection `name`. */
  const signIn = async (m: Movelog, name: string) => {
    const who = staff.get(name);
    if (!who) throw new Error(`unknown staff ${name}`);
    await call(m, name, 'session.signIn', { staffId: who.id, passphrase: who.passphrase });
  };
  /** Calls `callName` as staff member `name` (connection `name`), signing in first when the session is not active (auto-lock). */
  const act = async <T>(m: Movelog, name: string, callName: string, input: unknown): Promise<T> => {
    if (m.sessions.state(name).kind !== 'active') await signIn(m, name);
    const logged = internal.length;
    try {
      return await call<T>(m, name, callName, input);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${internal.slice(logged).join('\n')}`, { cause: error });
    }
  };
  const addStaff = async (m: Movelog, manager: string, name: string, role: string) => {
    const passphrase = `${name} passphrase`;
    const row = await act<{ id: string }>(m, manager, 'staff.add', { name, role, licence: role === 'therapist' ? 'PT-4410' : null, passphrase });
    staff.set(name, { id: row.id, passphrase });
    await signIn(m, name);
  };

  /** Registers a patient at Harbour (front desk on a) and has Priya sign a note; returns the patient id. */
  const registerWithNote = async (m: Movelog, p: Person) => {
    const registered = await act<{ patientId: string }>(m, 'Fran Doyle', 'patient.register', {
      confirmDuplicate: true,
      details: {
        givenName: p.given,
        familyName: p.family,
        preferredName: null,
        dateOfBirth: p.dob,
        sex: 'female',
        phone: p.phone,
        email: p.email,
        address: null,
        emergencyContact: null,
        referralSource: null,
        insurance: null,
      },
    });
    await signNote(m, registered.patientId, p.note, null);
    return registered.patientId;
  };
  const signNote = async (m: Movelog, patientId: string, subjective: string, appointmentId: string | null) =>
    act<Note>(m, 'Priya Nair', 'notes.sign', {
      patientId,
      note: { type: 'daily', appointmentId, subjective, objective: '', assessment: '', plan: 'Review in one week.', pain: 3 },
    });

  /** Harbour's two devices hold the same entries of the patient. */
  const harbourAgrees = (patientId: string) => JSON.stringify(patientStreams(a, patientId)) === JSON.stringify(patientStreams(b, patientId));

  beforeAll(async () => {
    if (!netnsAvailable()) throw new Error('These tests need root and `ip netns` (iproute2) to create network namespaces.');
    net = await createNet({ peers: ['a', 'b', 'c'] });
    const signal = await startSignal(net);
    harbour = await clinic(net, ['a', 'b'], signal);
    [summit] = (await clinic(net, ['c'], signal, SUMMIT)) as [Device];
    for (const d of [...harbour, summit]) {
      const child = await sync(net, d, ['--signal', signal]);
      child.stderr.on('data', (chunk: Buffer) => errors.set(d.name, (errors.get(d.name) ?? '') + chunk.toString('utf8')));
      peers.set(d.name, child);
    }
    await trustClinics(net, { device: harbour[0]!, manager: 'Lee Chen' }, { device: summit, manager: SUMMIT.manager }, signal);
    [a, b, c] = [openDevice(harbour[0]!), openDevice(harbour[1]!), openDevice(summit)];
    H = clinicId(a);
    S = clinicId(c);

    staff.set('Lee Chen', { id: managerId(a), passphrase: PASSPHRASE });
    staff.set(SUMMIT.manager, { id: managerId(c), passphrase: PASSPHRASE });
    await addStaff(a, 'Lee Chen', 'Priya Nair', 'therapist');
    await addStaff(a, 'Lee Chen', 'Fran Doyle', 'front_desk');
    await addStaff(c, SUMMIT.manager, 'Sam Okafor', 'therapist');
  }, 240_000);

  afterAll(async () => {
    for (const child of peers.values()) await stop(child);
    for (const m of opened) m.close();
    await net.destroy();
  }, 60_000);

  let marguerite: string;

  it(
    "(1) without a grant, Summit holds nothing of Harbour's patient: no entry of the patient's streams, no key, no plaintext",
    { timeout: 180_000 },
    async () => {
      marguerite = await registerWithNote(a, MARGUERITE);
      const type = await act<{ typeId: string }>(a, 'Lee Chen', 'schedule.defineType', {
        typeId: null,
        name: 'Follow-up',
        minutes: 45,
        category: 'follow_up',
        active: true,
      });
      const tomorrow = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
      await act(a, 'Fran Doyle', 'schedule.book', {
        patientId: marguerite,
        therapistId: staff.get('Priya Nair')?.id,
        roomId: null,
        typeId: type.typeId,
        start: tomorrow,
        weeks: 1,
        allowConflict: false,
      });
      expect(Object.keys(patientStreams(a, marguerite))).toEqual(expect.arrayContaining(['profile', 'schedule', 'clinical']));

      // Positive controls: Harbour's second device holds all of the patient, and Summit holds all of
      // Harbour's public stream, including the staff added after the trust (the pair room works).
      await eventually(
        () => harbourAgrees(marguerite),
        90_000,
        () => `b: ${JSON.stringify(patientStreams(b, marguerite))} a: ${JSON.stringify(patientStreams(a, marguerite))}`,
      );
      const publicStream = clinicStream(H, 'public');
      await eventually(
        () =>
          held(c, publicStream) === held(a, publicStream) && c.db.prepare("SELECT 1 FROM view_staff WHERE name = 'Priya Nair'").get() !== undefined,
        90_000,
        () => `Summit holds ${String(held(c, publicStream))} of ${String(held(a, publicStream))} entries of Harbour's public stream`,
      );
      await pause(A_WHILE_MS);

      // The scan finds the patient where the record is held (Harbour), so an empty scan at Summit means something.
      const atHarbour = new Set(plaintextHits(b.db, needlesOf(MARGUERITE)).map((h) => h.slice(h.indexOf(': ') + 2)));
      for (const n of [MARGUERITE.given, MARGUERITE.family, MARGUERITE.note, digits(MARGUERITE.phone)]) expect(atHarbour).toContain(n);
      expect(patientStreams(c, marguerite)).toEqual({});
      expect(parked(c.db, `p:${marguerite}/`)).toBe(0);
      expect(keysHeld(c.db, marguerite)).toBe(0);
      // Not even the patient's id appears anywhere in Summit's database.
      expect(plaintextHits(c.db, [marguerite, ...needlesOf(MARGUERITE)])).toEqual([]);
    },
  );

  let summitKeys: Buffer[] = [];
  let summitKids: string[] = [];

  it(
    '(2) a grant of profile and clinical brings Summit those streams, the consent stream and the key, not the schedule',
    { timeout: 180_000 },
    async () => {
      const grant = await act<{ hash: string }>(a, 'Fran Doyle', 'consent.grant', {
        patientId: marguerite,
        grantee: S,
        categories: ['profile', 'clinical'],
        from: null,
        until: null,
        purpose: 'second_opinion',
        note: '',
        capture: { method: 'verbal', witness: 'Lee Chen' },
      });
      expect(grant.hash).toMatch(/^[0-9a-f]{64}$/);

      const shared: PatientCategory[] = ['profile', 'clinical', 'consent'];
      const arrived = () =>
        shared.every((s) => held(c, patientStream(marguerite, s)) === held(a, patientStream(marguerite, s))) && keysHeld(c.db, marguerite) > 0;
      await eventually(
        arrived,
        90_000,
        () => `Summit: ${JSON.stringify(patientStreams(c, marguerite))}, keys ${JSON.stringify(keyRows(c.db, marguerite))}`,
      );
      for (const s of shared) expect(held(c, patientStream(marguerite, s))).toBeGreaterThan(0);
      // The key opens the record there: Summit's views hold the patient readable.
      expect(c.db.prepare('SELECT readable, given FROM view_patients WHERE patient_id = ?').get(marguerite)).toEqual({
        readable: 1,
        given: 'Marguerite',
      });

      await pause(A_WHILE_MS);
      expect(held(c, patientStream(marguerite, 'schedule'))).toBe(0);
      expect(parked(c.db, `p:${marguerite}/schedule`)).toBe(0);
      expect(c.db.prepare('SELECT count(*) AS n FROM view_appointments WHERE patient_id = ?').get(marguerite)).toEqual({ n: 0 });
    },
  );

  it("(3) Summit's therapist reads the notes: the access entry reaches both of Harbour's devices", { timeout: 180_000 }, async () => {
    // Sam has no visit with her at Summit: he opens her record with a reason, an emergency access
    // (docs/architecture.md#break-the-glass), and then reads the notes.
    await act(c, 'Sam Okafor', 'patient.breakGlass', { patientId: marguerite, reason: 'Second opinion asked by Harbour Rehab' });
    const notes = await act<Note[]>(c, 'Sam Okafor', 'notes.list', { patientId: marguerite });
    expect(notes.map((n) => [n.readable, n.body?.sections.subjective])).toEqual([[true, MARGUERITE.note]]);
    const reads = c.db
      .prepare<[string, string], { hash: string }>("SELECT hash FROM entries WHERE stream = ? AND kind = 'access.read' AND author = ?")
      .all(patientStream(marguerite, 'access'), c.ledger.device.publicKey)
      .map((r) => r.hash);
    expect(reads).toHaveLength(2);
    await eventually(
      () => reads.every((read) => holds(a, read) && holds(b, read)),
      90_000,
      () =>
        `Summit's readings at a: ${reads.map((read) => String(holds(a, read))).join()}, at b: ${reads.map((read) => String(holds(b, read))).join()}`,
    );
    // Harbour's manager sees who opened the record.
    const log = await act<{ staffName: string | null; what: string }[]>(a, 'Lee Chen', 'patient.accessLog', { patientId: marguerite });
    expect(log.some((l) => l.staffName === 'Sam Okafor' && l.what === 'clinical')).toBe(true);
  });

  it('(4) revocation: Summit locks the record and holds no key and no plaintext of the patient in any table', { timeout: 180_000 }, async () => {
    // Positive control: before the revocation the scan finds the patient's plaintext at Summit.
    const before = plaintextHits(c.db, needlesOf(MARGUERITE));
    const found = new Set(before.map((h) => h.slice(h.indexOf(': ') + 2)));
    for (const n of [MARGUERITE.given, MARGUERITE.family, MARGUERITE.note]) expect(found, before.join('\n')).toContain(n);
    expect(
      [MARGUERITE.phone, digits(MARGUERITE.phone)].some((n) => found.has(n)),
      before.join('\n'),
    ).toBe(true);

    // Every key Summit holds for the patient, read from a freshly opened folder (no cache), and its id.
    summitKeys = keysAt(summit, marguerite);
    expect(summitKeys.length).toBeGreaterThan(0);
    summitKids = [...new Set([...summitKeys.map(kidOf), ...bodyKids(c, marguerite)])];

    await act(a, 'Fran Doyle', 'consent.revoke', {
      patientId: marguerite,
      clinic: S,
      grant: null,
      categories: ['profile', 'clinical'],
      reason: 'The patient asked that Summit no longer see the record.',
    });
    await eventually(
      () => keysHeld(c.db, marguerite) === 0 && plaintextHits(c.db, needlesOf(MARGUERITE)).length === 0,
      90_000,
      () => `Summit keys ${JSON.stringify(keyRows(c.db, marguerite))}; plaintext: ${plaintextHits(c.db, needlesOf(MARGUERITE)).join(', ')}`,
    );
    expect(plaintextHits(c.db, needlesOf(MARGUERITE))).toEqual([]);

    // The record shows as locked at Summit (a freshly opened folder: nothing cached from before).
    const after = openDevice(summit);
    const state = await act<ConsentState>(after, 'Sam Okafor', 'consent.get', { patientId: marguerite });
    expect([state.shared, state.locked, state.homeClinicId]).toEqual([true, true, H]);
  });

  it("(4b) nor in the bytes of Summit's database files: deleted rows zeroed (secure_delete), the write-ahead log checkpointed", () => {
    // Positive control: Harbour's second device's files hold the patient's plaintext (its views).
    const found = new Set(fileHits(harbour[1]!.dir, [MARGUERITE.given, MARGUERITE.note]).map((h) => h.slice(h.indexOf(': ') + 2)));
    expect(found).toEqual(new Set([MARGUERITE.given, MARGUERITE.note]));
    expect(fileHits(summit.dir, needlesOf(MARGUERITE))).toEqual([]);
  });

  it('(5) an entry Harbour writes after the revocation never reaches Summit, and would not open there', { timeout: 180_000 }, async () => {
    // Written on a freshly opened folder, so the test process caches no key from before the revocation.
    const harbourNow = openDevice(harbour[0]!);
    const note = await signNote(harbourNow, marguerite, AFTER_REVOCATION, null);
    await eventually(
      () => holds(b, note.hash),
      90_000,
      () => "the new note at Harbour's second device",
    );
    const atHarbour = await act<Note[]>(harbourNow, 'Priya Nair', 'notes.list', { patientId: marguerite });
    expect(atHarbour.find((n) => n.hash === note.hash)?.body?.sections.subjective).toBe(AFTER_REVOCATION);

    await pause(A_WHILE_MS);
    expect(holds(c, note.hash)).toBe(false);
    expect(parked(c.db, note.hash)).toBe(0);
    expect(plaintextHits(c.db, [AFTER_REVOCATION])).toEqual([]);

    // Relayed by anyone, it would not open at Summit: sealed under a key id Summit never held,
    // and no key Summit held opens it.
    const entry = entryAt(a, note.hash);
    const body = entry.body as SealedBody & { kid?: unknown };
    expect(typeof body.kid, JSON.stringify(body)).toBe('string');
    expect(summitKids).not.toContain(body.kid);
    for (const key of summitKeys) expect(tryOpenBody(key, entry.stream, entry.kind, body)).toBeNull();
  });

  it('(6) a grant whose "until" passes behaves like a revocation', { timeout: 240_000 }, async () => {
    const thaddeus = await registerWithNote(a, THADDEUS);
    const until = Date.now() + 30_000;
    await act(a, 'Fran Doyle', 'consent.grant', {
      patientId: thaddeus,
      grantee: S,
      categories: ['profile', 'clinical'],
      from: null,
      until,
      purpose: 'treatment',
      note: '',
      capture: { method: 'paper_form', reference: 'Consent binder, page 12' },
    });
    await eventually(
      () =>
        (['profile', 'clinical', 'consent'] as const).every((s) => held(c, patientStream(thaddeus, s)) === held(a, patientStream(thaddeus, s))) &&
        keysHeld(c.db, thaddeus) > 0 &&
        plaintextHits(c.db, [THADDEUS.given]).length > 0,
      Math.max(1_000, until - Date.now()),
      () => `before the end of the grant, Summit: ${JSON.stringify(patientStreams(c, thaddeus))}, keys ${JSON.stringify(keyRows(c.db, thaddeus))}`,
    );
    const keys = keysAt(summit, thaddeus);
    expect(keys.length).toBeGreaterThan(0);
    const kids = [...new Set([...keys.map(kidOf), ...bodyKids(c, thaddeus)])];

    await pause(Math.max(0, until - Date.now()));
    await eventually(
      () => keysHeld(c.db, thaddeus) === 0 && plaintextHits(c.db, needlesOf(THADDEUS)).length === 0,
      90_000,
      () =>
        `after the end, Summit keys ${JSON.stringify(keyRows(c.db, thaddeus))}; plaintext: ${plaintextHits(c.db, needlesOf(THADDEUS)).join(', ')}`,
    );
    const after = openDevice(summit);
    const state = await act<ConsentState>(after, 'Sam Okafor', 'consent.get', { patientId: thaddeus });
    expect([state.shared, state.locked]).toEqual([true, true]);

    const harbourNow = openDevice(harbour[0]!);
    const note = await signNote(harbourNow, thaddeus, AFTER_EXPIRY, null);
    await eventually(
      () => holds(b, note.hash),
      90_000,
      () => "the new note at Harbour's second device",
    );
    await pause(A_WHILE_MS);
    expect(holds(c, note.hash)).toBe(false);
    expect(parked(c.db, note.hash)).toBe(0);
    expect(plaintextHits(c.db, [...needlesOf(THADDEUS), AFTER_EXPIRY])).toEqual([]);
    const entry = entryAt(a, note.hash);
    const body = entry.body as SealedBody & { kid?: unknown };
    expect(typeof body.kid, JSON.stringify(body)).toBe('string');
    expect(kids).not.toContain(body.kid);
    for (const k of keys) expect(tryOpenBody(k, entry.stream, entry.kind, body)).toBeNull();

    // And Marguerite's record is still locked at Summit: nothing of hers came back meanwhile.
    expect(keysHeld(c.db, marguerite)).toBe(0);
    expect(plaintextHits(c.db, [...needlesOf(MARGUERITE), AFTER_REVOCATION])).toEqual([]);
  });

  it('(7) every sync process ran throughout: still running, nothing on stderr, and it stops cleanly (exit 0)', { timeout: 60_000 }, async () => {
    // Without this, a crashed sync process would make "never reaches Summit" true for the wrong reason.
    for (const [name, child] of peers) {
      expect({ name, exit: child.exitCode, signal: child.signalCode, stderr: errors.get(name) ?? '' }).toEqual({
        name,
        exit: null,
        signal: null,
        stderr: '',
      });
    }
    for (const [name, child] of peers) expect({ name, exit: await stop(child) }).toEqual({ name, exit: 0 });
  });
});
