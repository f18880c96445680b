// Erasure (docs/architecture.md#erasure) through the services: who may erase, the retention period
// and its override, what is refused afterwards, and the same at a clinic the record was shared
// with, two clinics in one process (the entries delivered as sync would deliver them).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErasureStatus, PatientRecord, PatientSummary, Retention } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { ErasedPatientError } from '../ledger/keystore.js';
import { LedgerError } from '../ledger/ledger.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { sealedDraft } from '../ledger/sealedDraft.js';
import { sealingKeyOf } from '../ledger/seal.js';
import { patientStream } from '../ledger/streams.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const DAY = 86_400_000;
let clock = Date.UTC(2026, 10, 23, 8);
type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(r: unknown) => {
  const result = r as Result<T>;
  if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
  return result.value;
};

const NOOR = {
  givenName: 'Noor',
  familyName: 'Haddad',
  preferredName: null,
  dateOfBirth: '1986-05-28',
  sex: 'female',
  phone: '+44 20 7946 0101',
  email: 'noor.haddad@example.org',
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;
const NOTE_WORDS = 'Supraspinatus impingement, worse reaching overhead';

/** A clinic with its manager (mgr), front desk (desk) and a therapist (pt) signed in. */
async function staffedClinic(name: string) {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-erasure-')), () => clock, quiet);
  opened.push(m);
  value(await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: name, managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
  const add = async (connection: string, who: string, role: string) => {
    const id = value<{ id: string }>(
      await m.invoke('mgr', 'ws', 'staff.add', { name: who, role, licence: role === 'therapist' ? 'PT-1' : null, passphrase: `${who} passphrase` }),
    ).id;
    value(await m.invoke(connection, 'ws', 'session.signIn', { staffId: id, passphrase: `${who} passphrase` }));
    return id;
  };
  await add('desk', 'Fran', 'front_desk');
  const pt = await add('pt', 'Priya', 'therapist');
  const clinicId = (m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
  const managerId = (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id;
  return { m, clinicId, managerId, pt };
}
type Clinic = Awaited<ReturnType<typeof staffedClinic>>;

/** Registers Noor, with a signed note (a clinical entry the retention period runs from). */
async function noorWithNote(c: Clinic): Promise<string> {
  const id = value<PatientSummary>(await c.m.invoke('desk', 'ws', 'patient.register', { confirmDuplicate: true, details: NOOR })).patientId;
  value(
    await c.m.invoke('pt', 'ws', 'notes.sign', {
      patientId: id,
      note: { type: 'daily', appointmentId: null, subjective: NOTE_WORDS, objective: '', assessment: '', plan: '', pain: 3 },
    }),
  );
  return id;
}

const request = (patientId: string, more: Record<string, unknown> = {}) => ({
  patientId,
  requestedOn: '2026-11-20',
  receivedVia: 'letter',
  overrideReason: null,
  confirm: 'Haddad',
  ...more,
});
const entries = (m: Movelog) => (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
const erasureBodies = (m: Movelog) =>
  m.db
    .prepare<[], { bytes: Buffer }>("SELECT bytes FROM entries WHERE kind = 'patient.erasure'")
    .all()
    .map((r) => (JSON.parse(r.bytes.toString('utf8')) as { stream: string; body: unknown; by: string }).body);
/** Rows of any view that still hold the patient's name. */
const namedRows = (m: Movelog) =>
  m.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'view\\_%' ESCAPE '\\'")
    .all()
    .filter((t) =>
      (m.db.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[]).some((row) =>
        Object.values(row).some((v) => typeof v === 'string' && (v.includes('Haddad') || v.includes('Supraspinatus'))),
      ),
    )
    .map((t) => t.name);

describe('erasure at the home clinic', () => {
  it('is blocked by the retention period until a manager states a reason, which the erasure entry records', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    expect(value<Retention>(await c.m.invoke('mgr', 'ws', 'clinic.retention', {}))).toEqual({ years: 10, isDefault: true });
    const status = value<ErasureStatus>(await c.m.invoke('mgr', 'ws', 'patient.erasureStatus', { patientId: noor }));
    expect(status).toMatchObject({ erased: null, refusal: null, newestClinicalAt: clock, retention: { years: 10 } });
    expect(status.blockedUntil).toBe(Date.UTC(2036, 10, 23, 8));

    const before = entries(c.m);
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor))).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('kept until 2036-11-23') as string },
    });
    expect(entries(c.m)).toBe(before);
    expect(c.m.keystore.hasKey(noor)).toBe(true);

    const erased = value<PatientSummary>(
      await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { overrideReason: 'Treatment never took place; insurer confirmed.' })),
    );
    expect(erased).toMatchObject({ patientId: noor, readable: false, givenName: null, familyName: null, phone: null, erased: { at: clock } });
    expect(erasureBodies(c.m)).toEqual([
      { home: c.clinicId, requestedOn: '2026-11-20', receivedVia: 'letter', override: 'Treatment never took place; insurer confirmed.' },
    ]);
    expect(value<ErasureStatus>(await c.m.invoke('mgr', 'ws', 'patient.erasureStatus', { patientId: noor }))).toMatchObject({
      erased: { at: clock, requestedOn: '2026-11-20', receivedVia: 'letter', byName: 'Lee Chen' },
      blockedUntil: null,
    });
  });

  it('with no retention period (0), erases at once; the record shows as erased, with no key, no plaintext and a chain that verifies', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    expect(value<Retention>(await c.m.invoke('mgr', 'ws', 'clinic.setRetention', { years: 0 }))).toEqual({ years: 0, isDefault: false });
    expect(namedRows(c.m).length).toBeGreaterThan(0); // the scan finds the patient before
    value(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { overrideReason: 'not needed' })));
    // Not blocked: the reason is not kept.
    expect(erasureBodies(c.m)).toEqual([{ home: c.clinicId, requestedOn: '2026-11-20', receivedVia: 'letter', override: null }]);
    expect(c.m.keystore.hasKey(noor)).toBe(false);
    expect(c.m.keystore.keysOf(noor)).toEqual([]);
    expect(namedRows(c.m)).toEqual([]);
    // The views are what a rebuild without the key gives.
    const digest = viewDigest(c.m.db);
    rebuildViews(c.m.db, c.m.keystore);
    expect(viewDigest(c.m.db)).toBe(digest);

    // Opened, it shows as erased, and opening it records nothing (nothing is written into it).
    const count = entries(c.m);
    const record = value<PatientRecord>(await c.m.invoke('pt', 'ws', 'patient.get', { patientId: noor }));
    expect(record).toMatchObject({ summary: { readable: false, erased: { at: clock, requestedOn: '2026-11-20' } }, details: null, history: [] });
    expect(entries(c.m)).toBe(count);
    // Search by name finds nothing; the record's id finds the erased record.
    expect(value<PatientSummary[]>(await c.m.invoke('desk', 'ws', 'patient.search', { query: 'Haddad' }))).toEqual([]);
    expect(value<PatientSummary[]>(await c.m.invoke('desk', 'ws', 'patient.search', { query: noor }))).toMatchObject([
      { patientId: noor, givenName: null, erased: { at: clock } },
    ]);

    expect(value<{ intact: boolean; viewsMatch: boolean | null }>(await c.m.invoke('mgr', 'ws', 'ledger.verify', {}))).toMatchObject({
      intact: true,
      viewsMatch: true,
    });
  });

  it('refuses every write into the erased record, and no key is ever made or stored for it again', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    value(await c.m.invoke('mgr', 'ws', 'clinic.setRetention', { years: 0 }));
    const key = c.m.keystore.keyFor(noor);
    if (!key) throw new Error('no key');
    const kept = Buffer.from(key);
    value(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor)));
    const count = entries(c.m);
    const erasedMessage = expect.stringMatching(/^This patient's record was erased on 2026-11-23 at the patient's request/) as string;
    const refusals = [
      ['desk', 'patient.update', { patientId: noor, details: NOOR }],
      [
        'pt',
        'notes.sign',
        { patientId: noor, note: { type: 'daily', appointmentId: null, subjective: 'x', objective: '', assessment: '', plan: '', pain: 1 } },
      ],
      ['pt', 'notes.list', { patientId: noor }],
    ] as const;
    for (const [who, name, input] of refusals)
      expect(await c.m.invoke(who, 'ws', name, input)).toEqual({ ok: false, error: { code: 'forbidden', message: erasedMessage } });
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor))).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This record was already erased on 2026-11-23.' },
    });
    // Any refused request is itself recorded (access.refused, the clinic's private stream), nothing in the record.
    expect((c.m.db.prepare("SELECT count(*) AS n FROM entries WHERE stream LIKE 'p:%' AND local_seq > ?").get(count) as { n: number }).n).toBe(0);

    // Below the services, the ledger refuses it too, and the keystore takes no key for the patient.
    expect(() => c.m.ledger.append(sealedDraft(sealingKeyOf(kept), noor, 'access.read', { what: 'profile', purpose: 'care' }, c.pt))).toThrow(
      LedgerError,
    );
    expect(() => c.m.keystore.storeKey(noor, kept, clock)).toThrow(ErasedPatientError);
    expect(() => c.m.keystore.rotate(noor, clock)).toThrow(ErasedPatientError);
    expect(c.m.keystore.hasKey(noor)).toBe(false);
  });

  it('is for managers only, by the ledger too: an erasure signed for a therapist is refused', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    expect(() =>
      c.m.ledger.append({
        stream: patientStream(noor, 'consent'),
        kind: 'patient.erasure',
        by: c.pt,
        body: { home: c.clinicId, requestedOn: '2026-11-20', receivedVia: 'email', override: null },
      }),
    ).toThrow(/only a manager can erase/);
    expect(c.m.keystore.hasKey(noor)).toBe(true);
  });

  it('checks the confirmation and the day of the request, and changes nothing when they are wrong', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    value(await c.m.invoke('mgr', 'ws', 'clinic.setRetention', { years: 0 }));
    const before = entries(c.m);
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { confirm: 'Hadad' }))).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: "To confirm, type the patient's family name exactly as the record shows it." },
    });
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { requestedOn: '2026-11-24' }))).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'The day the request was received cannot be in the future.' },
    });
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { requestedOn: '2026-02-30' }))).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('That date does not exist.') as string },
    });
    expect(await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { overrideReason: 'x'.repeat(301) }))).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // Accents and case do not matter in the confirmation.
    expect(entries(c.m)).toBe(before);
    expect((await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { confirm: ' haddád ' }))).ok).toBe(true);
  });

  it('the retention period runs from the newest clinical entry: a note more than the period ago no longer blocks', async () => {
    const c = await staffedClinic('Harbour Rehab');
    const noor = await noorWithNote(c);
    value(await c.m.invoke('mgr', 'ws', 'clinic.setRetention', { years: 1 }));
    clock += 366 * DAY;
    try {
      // A year without activity locked the session: sign in again.
      value(await c.m.invoke('mgr', 'ws', 'session.signIn', { staffId: c.managerId, passphrase: 'manager passphrase 1' }));
      expect(value<ErasureStatus>(await c.m.invoke('mgr', 'ws', 'patient.erasureStatus', { patientId: noor })).blockedUntil).toBeNull();
      expect((await c.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { requestedOn: '2027-11-20' }))).ok).toBe(true);
    } finally {
      clock -= 366 * DAY;
    }
  });
});

/** What sync would bring `to` from `from`: the entries of the streams that start with `prefix`, in `from`'s order. */
function deliver(from: Clinic, to: Clinic, prefix: string): void {
  const rows = from.m.db
    .prepare<[string, string], { bytes: Buffer; sig: string }>(
      'SELECT bytes, sig FROM entries WHERE substr(stream, 1, length(?)) = ? ORDER BY local_seq',
    )
    .all(prefix, prefix);
  for (const r of rows) expect(to.m.ledger.ingest(new Uint8Array(r.bytes), r.sig, 'sync').status).not.toBe('refused');
}

function trust(from: Clinic, to: Clinic, name: string): void {
  from.m.ledger.append({
    stream: `c:${from.clinicId}/public`,
    kind: 'clinic.trusted',
    by: from.managerId,
    body: { clinic: to.clinicId, name, fingerprint: '12345 12345 12345 12345 12345 12345 12345 12345' },
  });
}

describe('erasure at a clinic the record is shared with', () => {
  it('cannot be made there; the home clinic’s erasure, once delivered, destroys the key and the plaintext there too', async () => {
    const harbour = await staffedClinic('Harbour Rehab');
    const summit = await staffedClinic('Summit Physio');
    trust(harbour, summit, 'Summit Physio');
    trust(summit, harbour, 'Harbour Rehab');
    deliver(harbour, summit, `c:${harbour.clinicId}/public`);
    deliver(summit, harbour, `c:${summit.clinicId}/public`);
    const noor = await noorWithNote(harbour);
    value(
      await harbour.m.invoke('desk', 'ws', 'consent.grant', {
        patientId: noor,
        grantee: summit.clinicId,
        categories: ['profile', 'clinical'],
        from: null,
        until: null,
        purpose: 'second_opinion',
        note: '',
        capture: { method: 'verbal', witness: 'Lee Chen' },
      }),
    );
    const key = harbour.m.keystore.keyFor(noor);
    if (!key) throw new Error('no key');
    summit.m.keystore.storeKey(noor, Buffer.from(key), clock);
    deliver(harbour, summit, `p:${noor}/`);
    expect(namedRows(summit.m).length).toBeGreaterThan(0);

    // Summit cannot erase Harbour's patient: through the service, with why.
    const status = value<ErasureStatus>(await summit.m.invoke('mgr', 'ws', 'patient.erasureStatus', { patientId: noor }));
    expect(status.refusal).toMatch(/^Only Harbour Rehab, the patient's home clinic, can erase this record/);
    expect(await summit.m.invoke('mgr', 'ws', 'patient.erase', request(noor))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // An erasure Summit's device signed with itself as home counts for nothing, there or at home.
    summit.m.ledger.append({
      stream: patientStream(noor, 'consent'),
      kind: 'patient.erasure',
      by: summit.managerId,
      body: { home: summit.clinicId, requestedOn: '2026-11-20', receivedVia: 'email', override: null },
    });
    expect(enforceConsent(summit.m.db, summit.m.keystore, clock).erased).toEqual([]);
    deliver(summit, harbour, `p:${noor}/consent`);
    expect(enforceConsent(harbour.m.db, harbour.m.keystore, clock).erased).toEqual([]);
    expect(harbour.m.keystore.hasKey(noor)).toBe(true);
    expect(summit.m.keystore.hasKey(noor)).toBe(true);

    // Harbour's manager erases; the consent stream (which always reaches Summit) brings the erasure.
    value(
      await harbour.m.invoke('mgr', 'ws', 'patient.erase', request(noor, { overrideReason: 'Patient withdrew before any treatment was given.' })),
    );
    deliver(harbour, summit, `p:${noor}/consent`);
    expect(enforceConsent(summit.m.db, summit.m.keystore, clock).erased).toEqual([noor]);
    expect(summit.m.keystore.hasKey(noor)).toBe(false);
    expect(namedRows(summit.m)).toEqual([]);
    const found = value<PatientSummary[]>(await summit.m.invoke('desk', 'ws', 'patient.search', { query: noor }));
    expect(found).toMatchObject([{ patientId: noor, readable: false, erased: { requestedOn: '2026-11-20' } }]);
    // A key arriving late (with an entry Harbour's other computer wrote before it heard) is not stored.
    expect(() => summit.m.keystore.storeKey(noor, Buffer.from(key), clock)).toThrow(ErasedPatientError);
    for (const c of [harbour, summit])
      expect(value<{ intact: boolean; viewsMatch: boolean | null }>(await c.m.invoke('mgr', 'ws', 'ledger.verify', {}))).toMatchObject({
        intact: true,
        viewsMatch: true,
      });
  });
});
