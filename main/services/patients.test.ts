import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientDetailsInput, PatientSummary } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { generateDeviceKeyPair } from '../ledger/crypto/index.js';
import type { Ledger } from '../ledger/ledger.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { openBody, sealBody, SealError } from '../ledger/seal.js';
import { foundClinic, storedEntries, tempLedger } from '../ledger/testing/fixtures.js';
import { writesDayFirst } from './patientQuery.js';
import { clinicLocale } from './patients.js';

const quiet = { warn: () => undefined, error: (m: string, e: unknown) => console.error(m, e) };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const maria: PatientDetailsInput = {
  givenName: 'María José',
  familyName: 'Núñez-López',
  preferredName: 'Majo',
  dateOfBirth: '1984-03-07',
  sex: 'female',
  phone: '+1 (555) 201-7788',
  email: 'majo@example.org',
  address: '12 Harbour Road',
  emergencyContact: { name: 'Luis Núñez', phone: '555 201 9900', relationship: 'brother' },
  referralSource: 'Dr Patel',
  insurance: { payer: 'Northwind Health', memberId: 'NW-55102' },
};

/** A clinic with a front-desk person signed in on the 'desk' connection. */
async function clinic(): Promise<Movelog> {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-patients-')), Date.now, quiet);
  opened.push(m);
  await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const fran = await m.invoke('mgr', 'ws', 'staff.add', {
    name: 'Fran Ortiz',
    role: 'front_desk',
    licence: null,
    passphrase: 'front desk passphrase',
  });
  await m.invoke('desk', 'ws', 'session.signIn', { staffId: (fran as { value: { id: string } }).value.id, passphrase: 'front desk passphrase' });
  return m;
}

const register = async (m: Movelog, details: PatientDetailsInput, confirmDuplicate = false) =>
  m.invoke('desk', 'ws', 'patient.register', { details, confirmDuplicate });
const search = async (m: Movelog, query: string) =>
  ((await m.invoke('desk', 'ws', 'patient.search', { query })) as { value: PatientSummary[] }).value.map(
    (p) => `${p.givenName ?? ''} ${p.familyName ?? ''}`,
  );

describe('patients', () => {
  it('registers a patient as a sealed entry and finds them by name, accents, date of birth or phone', async () => {
    const m = await clinic();
    const result = await register(m, maria);
    expect(result).toMatchObject({
      ok: true,
      value: { readable: true, givenName: 'María José', familyName: 'Núñez-López', dateOfBirth: '1984-03-07' },
    });
    await register(m, {
      ...maria,
      givenName: 'Tom',
      familyName: 'Baker',
      preferredName: null,
      dateOfBirth: '1950-11-30',
      phone: '555 000 1111',
      emergencyContact: null,
    });

    // The signed entry carries only ciphertext: nothing of the patient is readable in the ledger.
    const bytes = (m.db.prepare("SELECT group_concat(CAST(bytes AS TEXT)) AS b FROM entries WHERE kind LIKE 'patient.%'").get() as { b: string }).b;
    for (const secret of ['Núñez', 'Majo', '1984-03-07', '201-7788', 'Northwind', 'Baker']) expect(bytes).not.toContain(secret);

    expect(await search(m, 'nunez')).toEqual(['María José Núñez-López']);
    expect(await search(m, 'MAR lop')).toEqual(['María José Núñez-López']);
    expect(await search(m, 'majo')).toEqual(['María José Núñez-López']);
    expect(await search(m, '1984-03-07')).toEqual(['María José Núñez-López']);
    // An ambiguous date is read in the clinic's order (docs/architecture.md#patient-search).
    expect(await search(m, writesDayFirst(clinicLocale(m.db)) ? '07/03/1984' : '03/07/1984')).toEqual(['María José Núñez-López']);
    expect(await search(m, '2017788')).toEqual(['María José Núñez-López']);
    expect(await search(m, 'ba')).toEqual(['Tom Baker']);
    expect(await search(m, 'zzz')).toEqual([]);
  });

  it('warns about a likely duplicate and registers only when the person confirms', async () => {
    const m = await clinic();
    await register(m, maria);
    const again = await register(m, { ...maria, givenName: 'Maria', phone: null, email: null });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already registered: María José Núñez-López, born 1984-03-07/) as unknown },
    });
    const dupes = await m.invoke('desk', 'ws', 'patient.findDuplicates', {
      givenName: 'Maria',
      familyName: 'Nunez-Lopez',
      dateOfBirth: '1984-03-07',
      phone: null,
    });
    expect((dupes as { value: unknown[] }).value).toHaveLength(1);
    const samePhone = await m.invoke('desk', 'ws', 'patient.findDuplicates', {
      givenName: 'X',
      familyName: 'Y',
      dateOfBirth: '2000-01-01',
      phone: '555-201-7788 ',
    });
    expect((samePhone as { value: unknown[] }).value).toHaveLength(1);
    expect(await register(m, { ...maria, givenName: 'Maria', phone: null }, true)).toMatchObject({ ok: true });
    expect(await search(m, 'nunez')).toHaveLength(2);
  });

  it('keeps every version: an edit is a new sealed entry, the record shows the latest and the history', async () => {
    const m = await clinic();
    const { patientId } = ((await register(m, maria)) as { value: PatientSummary }).value;
    expect(
      await m.invoke('desk', 'ws', 'patient.update', { patientId, details: { ...maria, familyName: 'Núñez', phone: '555 777 0000' } }),
    ).toMatchObject({ ok: true });
    const record = (await m.invoke('desk', 'ws', 'patient.get', { patientId })) as {
      value: { details: { familyName: string }; history: { kind: string; byName: string; details: { familyName: string } }[] };
    };
    expect(record.value.details.familyName).toBe('Núñez');
    expect(record.value.history.map((h) => [h.kind, h.byName, h.details.familyName])).toEqual([
      ['patient.updated', 'Fran Ortiz', 'Núñez'],
      ['patient.registered', 'Fran Ortiz', 'Núñez-López'],
    ]);
    expect(await search(m, 'lopez')).toEqual([]);
    expect(await search(m, '5557770000')).toEqual(['María José Núñez']);
  });

  it('records every opening of a record as a sealed access entry that a manager can list', async () => {
    const m = await clinic();
    const { patientId } = ((await register(m, maria)) as { value: PatientSummary }).value;
    await m.invoke('desk', 'ws', 'patient.get', { patientId });
    await m.invoke('desk', 'ws', 'patient.get', { patientId });
    const rows = m.db
      .prepare<[string], { kind: string; bytes: Buffer }>('SELECT kind, bytes FROM entries WHERE stream = ?')
      .all(`p:${patientId}/access`);
    expect(rows.map((r) => r.kind)).toEqual(['access.read', 'access.read']);
    // Sealed like the record: the ledger shows who (`by`) and when, not what or why.
    expect(rows[0]!.bytes.toString()).not.toContain('profile');
    await m.invoke('mgr', 'ws', 'session.signIn', {
      staffId: (m.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get() as { id: string }).id,
      passphrase: 'manager passphrase 1',
    });
    const log = await m.invoke('mgr', 'ws', 'patient.accessLog', { patientId });
    // One line per opening, saying what was read.
    expect(log).toMatchObject({
      ok: true,
      value: [
        { staffName: 'Fran Ortiz', role: 'front_desk', device: 'First device', what: 'profile', action: "opened the patient's details" },
        { staffName: 'Fran Ortiz', what: 'profile', action: "opened the patient's details" },
      ],
    });
    expect((log as { value: unknown[] }).value).toHaveLength(2);
    // The front desk cannot read the audit of who read what.
    expect(await m.invoke('desk', 'ws', 'patient.accessLog', { patientId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    rebuildViews(m.db, m.keystore);
    expect((await m.invoke('mgr', 'ws', 'patient.accessLog', { patientId })) as { value: unknown[] }).toMatchObject({
      value: [{ what: 'profile' }, { what: 'profile' }],
    });
  });

  it('refuses bad details with messages a person can act on, and stores nothing', async () => {
    const m = await clinic();
    const before = (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const bad = await register(m, { ...maria, givenName: '', dateOfBirth: '1984-02-30', email: 'not-an-email', phone: 'call me' });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          'Given name is required. That date does not exist. Enter a phone number with at least 6 digits (digits, spaces, + ( ) - . allowed). Enter a valid email address.',
      },
    });
    expect(await register(m, { ...maria, dateOfBirth: '2999-01-01' })).toMatchObject({
      ok: false,
      error: { message: 'The date of birth cannot be in the future.' },
    });
    expect((m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(before);
    expect(m.db.prepare('SELECT count(*) AS n FROM patient_keys').get()).toEqual({ n: 0 });
  });

  it('rebuilds identical views; after the key is destroyed the patient stays, unreadable', async () => {
    const m = await clinic();
    const { patientId } = ((await register(m, maria)) as { value: PatientSummary }).value;
    const before = viewDigest(m.db);
    rebuildViews(m.db, m.keystore);
    expect(viewDigest(m.db)).toBe(before);
    m.keystore.destroyKey(patientId);
    rebuildViews(m.db, m.keystore);
    const [row] = ((await m.invoke('desk', 'ws', 'patient.search', { query: '' })) as { value: PatientSummary[] }).value;
    expect(row).toMatchObject({ patientId, readable: false, givenName: null, dateOfBirth: null });
    const verify = await import('../ledger/verify.js');
    expect((await verify.verifyDatabase(m.db.name, { workers: 0, dbKey: m.vault.secrets.dbKey, keystoreMasterKey: null })).problem).toBeNull();
  });
});

describe('sealed bodies', () => {
  it('open only with the right key, stream and kind, and refuse any altered byte', () => {
    const key = Buffer.alloc(32, 7);
    const stream = `p:${'a'.repeat(32)}/profile`;
    const sealed = sealBody(key, stream, 'patient.registered', { givenName: 'Zoë' });
    expect(openBody(key, stream, 'patient.registered', sealed)).toEqual({ givenName: 'Zoë' });
    expect(() => openBody(key, `p:${'b'.repeat(32)}/profile`, 'patient.registered', sealed)).toThrow(SealError);
    expect(() => openBody(key, stream, 'patient.updated', sealed)).toThrow(SealError);
    expect(() => openBody(Buffer.alloc(32, 8), stream, 'patient.registered', sealed)).toThrow(SealError);
    const flipped = sealed.ct.slice(0, 5) + (sealed.ct[5] === 'A' ? 'B' : 'A') + sealed.ct.slice(6);
    expect(() => openBody(key, stream, 'patient.registered', { ...sealed, ct: flipped })).toThrow(SealError);
    const otherIv = (sealed.iv[0] === 'A' ? 'B' : 'A') + sealed.iv.slice(1);
    expect(() => openBody(key, stream, 'patient.registered', { ...sealed, iv: otherIv })).toThrow(SealError);
    expect(() => openBody(key, stream, 'patient.registered', { ...sealed, ct: sealed.ct.slice(0, -2) })).toThrow(SealError);
  });
});

describe('patient policy in the ledger', () => {
  const plain = {
    ...maria,
    preferredName: null,
    phone: null,
    email: null,
    address: null,
    emergencyContact: null,
    referralSource: null,
    insurance: null,
  };

  it('lets only the front desk or a manager register, only as a new patient, and updates only existing patients', () => {
    const ledger = tempLedger();
    const c = foundClinic(ledger);
    const therapistId = '7'.repeat(32);
    ledger.append({
      stream: c.publicStream,
      kind: 'staff.added',
      by: c.managerId,
      body: { staffId: therapistId, name: 'Kim', role: 'therapist', licence: 'PT-1' },
    });
    const keystore = ledger.keystore;
    const patientId = 'f'.repeat(32);
    const stream = `p:${patientId}/profile`;
    const key = keystore.createKey(patientId, 0);
    const draft = (kind: 'patient.registered' | 'patient.updated', by: string, s = stream) => ({
      stream: s,
      kind,
      by,
      body: sealBody(key, s, kind, plain),
    });

    expect(() => ledger.append(draft('patient.registered', therapistId))).toThrow(/only the front desk or a manager can register patients/);
    expect(() => ledger.append(draft('patient.updated', c.managerId))).toThrow(/no such patient/);
    ledger.append(draft('patient.registered', c.managerId));
    expect(() => ledger.append(draft('patient.registered', c.managerId))).toThrow(/must be the first entry of a new patient/);
    // Therapists keep contact details current at the treatment table.
    ledger.append(draft('patient.updated', therapistId));
    expect(ledger.db.prepare('SELECT readable, family FROM view_patients').all()).toEqual([{ readable: 1, family: 'Núñez-López' }]);
  });

  it('shows a patient whose key this device does not hold as sealed, without failing', () => {
    const a = tempLedger();
    const c = foundClinic(a);
    const patientId = 'f'.repeat(32);
    const stream = `p:${patientId}/profile`;
    const key = a.keystore.createKey(patientId, 0);
    a.append({ stream, kind: 'patient.registered', by: c.managerId, body: sealBody(key, stream, 'patient.registered', plain) });
    const b = tempLedger();
    for (const e of storedEntries(a)) expect(b.ingest(e.bytes, e.sig, 'sync').status).toBe('stored');
    expect(b.db.prepare('SELECT patient_id, readable, given, dob, details FROM view_patients').all()).toEqual([
      { patient_id: patientId, readable: 0, given: null, dob: null, details: null },
    ]);
    expect(b.db.prepare('SELECT count(*) AS n FROM view_patient_tokens').get()).toEqual({ n: 0 });
  });
});

describe('convergence of patient records', () => {
  it('concurrent edits from two devices give the same views in any delivery order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 12 }), fc.nat(), (ops, seed) => {
        const a = tempLedger();
        const c = foundClinic(a);
        const deskId = 'd'.repeat(32);
        const bKey = generateDeviceKeyPair();
        a.appendMany([
          {
            stream: c.publicStream,
            kind: 'staff.added',
            by: c.managerId,
            body: { staffId: deskId, name: 'Fran', role: 'front_desk', licence: null },
          },
          { stream: c.publicStream, kind: 'device.enrolled', by: c.managerId, body: { device: bKey.publicKey, label: 'Desk 2' } },
        ]);
        const patientId = 'e'.repeat(32);
        const stream = `p:${patientId}/profile`;
        const key = a.keystore.createKey(patientId, 0);
        const details = (family: string) => ({
          ...maria,
          familyName: family,
          preferredName: null,
          phone: null,
          email: null,
          address: null,
          emergencyContact: null,
          referralSource: null,
          insurance: null,
        });
        a.append({ stream, kind: 'patient.registered', by: deskId, body: sealBody(key, stream, 'patient.registered', details('First')) });
        const b = tempLedger(bKey);
        b.keystore.storeKey(patientId, key, 0);
        const sync = (from: Ledger, to: Ledger) => {
          for (const e of storedEntries(from)) to.ingest(e.bytes, e.sig, 'sync');
        };
        sync(a, b);
        ops.forEach(([onA, exchange], i) => {
          const w = onA ? a : b;
          w.append({ stream, kind: 'patient.updated', by: deskId, body: sealBody(key, stream, 'patient.updated', details(`V${i}`)) });
          if (exchange) {
            sync(a, b);
            sync(b, a);
          }
        });
        sync(a, b);
        sync(b, a);
        expect(viewDigest(b.db)).toBe(viewDigest(a.db));
        const all = storedEntries(a);
        const order = fc.sample(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), { seed, numRuns: 1 })[0]!;
        const fresh = tempLedger();
        fresh.keystore.storeKey(patientId, key, 0);
        for (const e of order) fresh.ingest(e.bytes, e.sig, 'shuffle');
        expect(viewDigest(fresh.db)).toBe(viewDigest(a.db));
      }),
      { numRuns: 15 },
    );
  });
});
