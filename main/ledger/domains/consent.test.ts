import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_CATEGORIES } from '../../../shared/ledger/kinds/consent.js';
import type { ConsentCategory } from '../../../shared/ledger/kinds/consent.js';
import { clinicIdentity } from '../../clinic/queries.js';
import { listStaff } from '../../clinic/staffQueries.js';
import { openMovelog } from '../../core.js';
import type { Movelog } from '../../core.js';
import { ensureClinicSecret } from '../../sync/settings.js';
import { newRoomSecret } from '../../sync/rooms.js';
import { recordTrust, safetyNumber } from '../../sync/trust.js';
import { registerTestPatient } from '../../testing/patients.js';
import { consentRows, grantStates } from '../../views/consent.js';
import type { ConsentRow } from '../../views/consent.js';
import { generateDeviceKeyPair } from '../crypto/index.js';
import { Ledger } from '../ledger.js';
import { viewDigest } from '../rebuild.js';
import { verifyDatabase } from '../verify.js';
import { sealBody } from '../seal.js';
import { clinicStream, patientStream } from '../streams.js';
import { dbKeyOf, storedEntries } from '../testing/fixtures.js';

const quiet = { warn: () => undefined, error: () => undefined };
const clock = Date.UTC(2026, 10, 30, 9);
const opened: Movelog[] = [];
/** Databases of one property run, closed after it. */
const perRun: Movelog[] = [];
const fresh = (name: string, list: Movelog[] = opened) => {
  const m = openMovelog(mkdtempSync(join(tmpdir(), `movelog-consent-${name}-`)), () => clock, quiet);
  list.push(m);
  return m;
};
afterAll(() => {
  for (const m of opened.splice(0)) m.close();
});

const H = 'h'.repeat(64).replace(/h/g, 'a');
const S = 'b'.repeat(64);
const row = (r: Partial<ConsentRow> & Pick<ConsentRow, 'hash' | 'kind'>): ConsentRow => ({
  patientId: '0'.repeat(32),
  author: 'x',
  staffId: null,
  at: 0,
  home: H,
  clinic: S,
  categories: ['profile', 'clinical'],
  from: r.kind === 'granted' ? 0 : null,
  until: null,
  grant: null,
  parents: [],
  details: null,
  height: 1,
  ...r,
});

describe('consent state rules', () => {
  const grant = row({ hash: 'g1', kind: 'granted' });
  it('a revocation after a grant ends it, for the categories it names', () => {
    const revoke = row({ hash: 'r1', kind: 'revoked', categories: ['clinical'], parents: ['g1'] });
    expect(grantStates([grant, revoke], H).map((g) => g.standing)).toEqual([['profile']]);
  });
  it('a revocation concurrent with a grant wins (deny wins)', () => {
    const revoke = row({ hash: 'r1', kind: 'revoked', categories: ['profile', 'clinical'] });
    expect(grantStates([grant, revoke], H).map((g) => g.standing)).toEqual([[]]);
  });
  it('a grant written after a revocation re-opens, even through an earlier entry of the stream', () => {
    const revoke = row({ hash: 'r1', kind: 'revoked', parents: ['g1'] });
    const note = row({ hash: 'r2', kind: 'revoked', clinic: 'c'.repeat(64), parents: ['r1'] });
    const again = row({ hash: 'g2', kind: 'granted', parents: ['r2'] });
    expect(grantStates([grant, revoke, note, again], H).map((g) => [g.row.hash, g.standing])).toEqual([
      ['g1', []],
      ['g2', ['profile', 'clinical']],
    ]);
  });
  it('a revocation naming one grant leaves the others; one for another clinic or home changes nothing', () => {
    const other = row({ hash: 'g2', kind: 'granted' });
    const one = row({ hash: 'r1', kind: 'revoked', grant: 'g2', parents: ['g1', 'g2'] });
    const elsewhere = row({ hash: 'r2', kind: 'revoked', clinic: 'c'.repeat(64) });
    const forged = row({ hash: 'r3', kind: 'revoked', home: S });
    expect(grantStates([grant, other, one, elsewhere, forged], H).map((g) => g.standing.length)).toEqual([2, 0]);
  });
});

/** Two devices of Harbour and one of Summit, trusted both ways, sharing one patient's key. */
interface World {
  readonly devices: { readonly ledger: Ledger; readonly by: string; readonly clinic: string }[];
  readonly patientId: string;
  readonly key: Buffer;
  readonly harbour: string;
  readonly summit: string;
}

let world: World;

beforeAll(async () => {
  const h1 = fresh('h1');
  await h1.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' });
  const s1 = fresh('s1');
  await s1.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Summit Physio', managerName: 'Ana Ruiz', passphrase: 'manager passphrase 1' });
  for (const m of [h1, s1]) ensureClinicSecret(m.db, m.keystore, m.ledger.device.publicKey, clock);
  const harbour = clinicIdentity(h1.db)!.id;
  const summit = clinicIdentity(s1.db)!.id;
  const hManager = listStaff(h1.db)[0]!.id;
  const sManager = listStaff(s1.db)[0]!.id;
  const secret = newRoomSecret();
  const fingerprint = safetyNumber(harbour, summit, secret);
  recordTrust(h1.ledger, h1.keystore, hManager, { id: summit, name: 'Summit Physio' }, fingerprint, secret);
  recordTrust(s1.ledger, s1.keystore, sManager, { id: harbour, name: 'Harbour Rehab' }, fingerprint, secret);
  const patientId = await registerTestPatient(h1, 'mgr', 'Noor');
  const key = h1.keystore.keyFor(patientId)!;
  const h2key = generateDeviceKeyPair();
  h1.ledger.append({
    stream: clinicStream(harbour, 'public'),
    kind: 'device.enrolled',
    by: hManager,
    body: { device: h2key.publicKey, label: 'Gym laptop' },
  });
  const h2m = fresh('h2');
  const h2 = new Ledger(h2m.db, h2key, { now: () => clock, keystore: h2m.keystore });
  for (const m of [h2m, s1]) m.keystore.storeKey(patientId, key, 0);
  h2.ingestMany(storedEntries(h1.ledger), 'setup');
  // Each clinic holds the other's public stream (trust), as a pair room gives it.
  s1.ledger.ingestMany(
    storedEntries(h1.ledger).filter((e) => streamOf(e) === clinicStream(harbour, 'public')),
    'setup',
  );
  for (const l of [h1.ledger, h2])
    l.ingestMany(
      storedEntries(s1.ledger).filter((e) => streamOf(e) === clinicStream(summit, 'public')),
      'setup',
    );
  world = {
    devices: [
      { ledger: h1.ledger, by: hManager, clinic: harbour },
      { ledger: h2, by: hManager, clinic: harbour },
      { ledger: s1.ledger, by: sManager, clinic: summit },
    ],
    patientId,
    key,
    harbour,
    summit,
  };
}, 60_000);

type Op =
  | { readonly op: 'grant'; readonly actor: number; readonly categories: ConsentCategory[]; readonly until: boolean }
  | { readonly op: 'revoke'; readonly actor: number; readonly categories: ConsentCategory[]; readonly pick: number }
  | { readonly op: 'sync'; readonly from: number; readonly to: number };

const categories = fc.subarray([...CONSENT_CATEGORIES], { minLength: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('grant' as const), actor: fc.constantFrom(0, 1), categories, until: fc.boolean() }),
  fc.record({ op: fc.constant('revoke' as const), actor: fc.constantFrom(0, 1, 2), categories, pick: fc.nat(6) }),
  fc.record({ op: fc.constant('sync' as const), from: fc.constantFrom(0, 1, 2), to: fc.constantFrom(0, 1, 2) }),
);

/** Runs a program of grants, revocations and partial syncs on copies of the world's ledgers; returns every entry written. */
function run(program: readonly Op[]) {
  // Each program starts from the world's state: fresh databases seeded with what each device holds.
  const devices = world.devices.map((d, i) => {
    const m = fresh(`p${String(i)}`, perRun);
    m.keystore.storeKey(world.patientId, world.key, 0);
    const ledger = new Ledger(
      m.db,
      { publicKey: d.ledger.device.publicKey, privateKey: d.ledger.device.privateKey },
      { now: () => clock, keystore: m.keystore },
    );
    ledger.ingestMany(storedEntries(d.ledger), 'seed');
    return { ...d, ledger };
  });
  const stream = patientStream(world.patientId, 'consent');
  for (const op of program) {
    if (op.op === 'sync') {
      if (op.from !== op.to) devices[op.to]!.ledger.ingestMany(storedEntries(devices[op.from]!.ledger), 'sync');
      continue;
    }
    const d = devices[op.actor]!;
    const cats = CONSENT_CATEGORIES.filter((c) => op.categories.includes(c));
    if (op.op === 'grant') {
      d.ledger.append({
        stream,
        kind: 'consent.granted',
        by: d.by,
        body: {
          home: world.harbour,
          grantee: world.summit,
          categories: cats,
          from: clock - 1000,
          until: op.until ? clock + 60_000 : null,
          details: sealBody(world.key, stream, 'consent.granted', { purpose: 'treatment', note: '', capture: { method: 'verbal', witness: 'Fran' } }),
        },
      });
    } else {
      const grants = consentRows(d.ledger.db, world.patientId).filter((r) => r.kind === 'granted');
      // Summit withdraws only its own access, and only once it knows of a grant (as the service requires).
      if (d.clinic === world.summit && grants.length === 0) continue;
      const target = op.pick < grants.length ? (grants[op.pick]?.hash ?? null) : null;
      d.ledger.append({
        stream,
        kind: 'consent.revoked',
        by: d.by,
        body: {
          home: world.harbour,
          clinic: world.summit,
          categories: cats,
          grant: target,
          details: sealBody(world.key, stream, 'consent.revoked', { reason: 'asked' }),
        },
      });
    }
  }
  const all = new Map<string, { bytes: Uint8Array; sig: string; hash: string }>();
  // Summit's private stream never leaves Summit (a Harbour device would refuse it).
  const summitPrivate = clinicStream(world.summit, 'private');
  for (const d of devices) for (const e of storedEntries(d.ledger)) if (streamOf(e) !== summitPrivate) all.set(e.hash, e);
  return [...all.values()];
}

function streamOf(e: { bytes: Uint8Array }): string {
  return (JSON.parse(Buffer.from(e.bytes).toString('utf8')) as { stream: string }).stream;
}
const kindOf = (e: { bytes: Uint8Array }) => (JSON.parse(Buffer.from(e.bytes).toString('utf8')) as { kind: string }).kind;

const stateOf = (db: Movelog['db']) =>
  grantStates(consentRows(db, world.patientId), world.harbour)
    .map((g) => `${g.row.hash}:${g.standing.join(',')}`)
    .sort();

describe('consent state in any delivery order', () => {
  it('is the same on every device, for any set of grants and revocations delivered in any order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 2, maxLength: 10 }), fc.integer(), (program, seed) => {
        const entries = run(program);
        const genesis = entries.find((e) => kindOf(e) === 'clinic.created' && streamOf(e) === clinicStream(world.harbour, 'public'))!;
        const rest = entries.filter((e) => e !== genesis);
        let expected: { state: string[]; digest: string } | null = null;
        for (const order of [rest, [...rest].reverse(), fc.sample(fc.shuffledSubarray(rest, { minLength: rest.length }), { numRuns: 1, seed })[0]!]) {
          const m = fresh('order', perRun);
          m.keystore.storeKey(world.patientId, world.key, 0);
          const ledger = new Ledger(m.db, generateDeviceKeyPair(), { now: () => clock, keystore: m.keystore });
          ledger.ingest(genesis.bytes, genesis.sig, 'order');
          for (const e of order) ledger.ingest(e.bytes, e.sig, 'order');
          const got = { state: stateOf(m.db), digest: viewDigest(m.db) };
          // Everything was admitted: nothing waits or was refused.
          expect(m.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: entries.length });
          expected ??= got;
          expect(got).toEqual(expected);
        }
        for (const m of perRun.splice(0)) m.close();
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('verify replays admission over histories delivered in any order', () => {
  it('accepts every entry of a device that received grants, revocations and the clinics in any order (docs/architecture.md#policy-replay)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 2, maxLength: 8 }), fc.integer(), async (program, seed) => {
        const entries = run(program);
        const genesis = entries.find((e) => kindOf(e) === 'clinic.created' && streamOf(e) === clinicStream(world.harbour, 'public'))!;
        const rest = fc.sample(
          fc.shuffledSubarray(
            entries.filter((e) => e !== genesis),
            { minLength: entries.length - 1 },
          ),
          { numRuns: 1, seed },
        )[0]!;
        const m = fresh('replay', perRun);
        const device = generateDeviceKeyPair();
        const ledger = new Ledger(m.db, device, { now: () => clock, keystore: m.keystore });
        ledger.ingest(genesis.bytes, genesis.sig, 'order');
        for (const e of rest) ledger.ingest(e.bytes, e.sig, 'order');
        expect(m.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: entries.length });
        const report = await verifyDatabase(m.db.name, { workers: 0, dbKey: dbKeyOf(m.db.name), device: device.publicKey });
        expect(report.problem).toBeNull();
        expect(report.policyReplayed).toBe(true);
        // Each writing device's own database too (run() opened them first): its appends and what it received, in its order.
        for (const [i, d] of world.devices.entries()) {
          const own = await verifyDatabase(perRun[i]!.db.name, { workers: 0, dbKey: dbKeyOf(perRun[i]!.db.name), device: d.ledger.device.publicKey });
          expect(own.problem).toBeNull();
        }
        for (const m of perRun.splice(0)) m.close();
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});

describe('who may record consent and write a shared record', () => {
  it('refuses a grant from any clinic but the home clinic, and keeps another clinic’s entries waiting until a grant names it', () => {
    const [h1, , s1] = world.devices as [World['devices'][0], World['devices'][0], World['devices'][0]];
    const stream = patientStream(world.patientId, 'consent');
    const details = (kind: 'consent.granted') =>
      sealBody(world.key, stream, kind, { purpose: 'treatment', note: '', capture: { method: 'verbal', witness: 'Fran' } });
    // Summit cannot grant Harbour's patient to anyone, not even by naming Harbour as home.
    expect(() =>
      s1.ledger.append({
        stream,
        kind: 'consent.granted',
        by: s1.by,
        body: { home: world.harbour, grantee: world.summit, categories: ['profile'], from: clock, until: null, details: details('consent.granted') },
      }),
    ).toThrow(/home clinic/);

    // A Summit entry in the patient's record reaches a Harbour device before any grant: it waits.
    const m = fresh('writer');
    m.keystore.storeKey(world.patientId, world.key, 0);
    const reader = new Ledger(m.db, generateDeviceKeyPair(), { now: () => clock, keystore: m.keystore });
    reader.ingestMany(storedEntries(h1.ledger), 'seed');
    const access = s1.ledger.append({
      stream: patientStream(world.patientId, 'access'),
      kind: 'access.read',
      by: s1.by,
      body: sealBody(world.key, patientStream(world.patientId, 'access'), 'access.read', { what: 'profile', purpose: 'care' }),
    });
    for (const e of storedEntries(s1.ledger)) if (e.hash === access.hash) expect(reader.ingest(e.bytes, e.sig, 'summit').status).toBe('pending');
    const grant = h1.ledger.append({
      stream,
      kind: 'consent.granted',
      by: h1.by,
      body: { home: world.harbour, grantee: world.summit, categories: ['profile'], from: clock, until: null, details: details('consent.granted') },
    });
    for (const e of storedEntries(h1.ledger)) if (e.hash === grant.hash) expect(reader.ingest(e.bytes, e.sig, 'harbour').status).toBe('stored');
    expect(m.db.prepare('SELECT count(*) AS n FROM entries WHERE hash = ?').get(access.hash)).toEqual({ n: 1 });
  });
});
