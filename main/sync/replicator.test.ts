import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { enforceConsent } from '../ledger/consentLock.js';
import { viewDigest } from '../ledger/rebuild.js';
import { clinicStream, patientOfStream, patientStream } from '../ledger/streams.js';
import { kidOf, sealBody } from '../ledger/seal.js';
import { decodeBatch, decodeFrontier, docMaps, encodeBatch, encodeFrontier } from './doc.js';
import type { Batch } from './doc.js';
import { witnessedCheckpoints } from '../ledger/checkpoints.js';
import { verifyDatabase } from '../ledger/verify.js';
import { checkpointRound } from './checkpoints.js';
import { mayShare } from './entitlement.js';
import { LOCAL_ORIGIN, Replicator } from './replicator.js';
import { roomKeys, newRoomSecret } from './rooms.js';
import { MemoryNet } from './testing/memoryNet.js';
import { restoreBackup, writeBackup } from '../store/backup.js';
import { restoreHold, restoreRecords, resumeAfterRestore } from '../store/restored.js';
import { unlockFromEnvironment } from '../store/vault.js';

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

interface Device {
  readonly name: string;
  readonly m: Movelog;
  readonly doc: Y.Doc;
  readonly replicator: Replicator;
}

/** A clinic set up on device `a` plus fresh devices enrolled by its manager, all in one room. */
async function clinicWith(
  names: readonly string[],
  only?: (stream: string) => boolean,
  timing: { readonly now?: () => number; readonly rollbackMs?: number } = {},
) {
  const arrivals: { device: string; patients: string[] }[] = [];
  const net = new MemoryNet();
  const secret = newRoomSecret();
  const keys = roomKeys(secret);
  const movelogs = names.map((name) => {
    const m = openMovelog(mkdtempSync(join(tmpdir(), `movelog-sync-${name}-`)), Date.now, quiet);
    opened.push(m);
    return { name, m };
  });
  const first = movelogs[0]!.m;
  const setup = await first.invoke('mgr', 'ws', 'clinic.setup', {
    clinicName: 'Harbour Rehab',
    managerName: 'Lee Chen',
    passphrase: 'manager passphrase 1',
  });
  expect(setup.ok).toBe(true);
  const clinic = first.db.prepare<[], { id: string }>('SELECT id FROM view_clinic').get()!;
  const manager = first.db.prepare<[], { id: string }>('SELECT id FROM view_staff').get()!;
  for (const { name, m } of movelogs.slice(1)) {
    first.ledger.append({
      stream: clinicStream(clinic.id, 'public'),
      kind: 'device.enrolled',
      by: manager.id,
      body: { device: m.ledger.device.publicKey, label: `Device ${name}` },
    });
  }
  const keyOf = new Map(movelogs.map(({ name, m }) => [name, m.ledger.device.publicKey]));
  const devices: Device[] = movelogs.map(({ name, m }) => {
    const doc = net.add(name);
    const replicator = new Replicator({
      ledger: m.ledger,
      keystore: m.keystore,
      doc,
      room: keys.name,
      keyWrap: keys.keyWrap,
      share: (stream) => (only?.(stream) ?? true) && mayShare(m.db, stream, { kind: 'clinic', clinicId: clinic.id, trusted: new Set<string>() }),
      liveMembers: () => net.reachable(name).map((other) => keyOf.get(other)!),
      stallMs: 0,
      rollbackMs: timing.rollbackMs ?? 0,
      ...(timing.now ? { now: timing.now } : {}),
      afterCommit: (patients) => arrivals.push({ device: name, patients: [...patients] }),
    });
    return { name, m, doc, replicator };
  });
  /** Steps every replicator until nothing moves. */
  const settle = (rounds = 5_000) => {
    let quiet = 0;
    let last = '';
    for (let i = 0; i < rounds && quiet < 3; i++) {
      for (const d of devices) d.replicator.step();
      const state = JSON.stringify(
        devices.map((d) => [d.replicator.logSize(), ...devices.map((o) => d.replicator.cursor(o.m.ledger.device.publicKey))]),
      );
      quiet = state === last ? quiet + 1 : 0;
      last = state;
    }
  };
  return { net, devices, clinic, manager, settle, keys, arrivals, keyOf };
}

const digests = (devices: readonly Device[]) => devices.map((d) => viewDigest(d.m.db));
const entryCount = (d: Device) => d.m.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries').get()!.n;

async function addStaff(m: Movelog, n: number, prefix: string) {
  for (let i = 0; i < n; i++) {
    const r = await m.invoke('mgr', 'ws', 'settings.update', { autoLockMinutes: 1 + ((i * 7) % 200) });
    if (!r.ok) throw new Error(`${prefix}: ${r.error.message}`);
  }
}

describe('replicator', () => {
  it('brings a freshly enrolled device the whole clinic, in updates under 16 KiB, and leaves the document empty', async () => {
    const { devices, settle, net } = await clinicWith(['a', 'b']);
    const [a, b] = devices as [Device, Device];
    await a.m.invoke('mgr', 'ws', 'staff.add', { name: 'Fran Ortiz', role: 'front_desk', licence: null, passphrase: 'front desk passphrase' });
    await addStaff(a.m, 300, 'a');
    settle();
    expect(entryCount(b)).toBe(entryCount(a));
    expect(digests([b])).toEqual(digests([a]));
    expect(Math.max(...net.updateSizes)).toBeLessThan(16 * 1024);
    expect(docMaps(a.doc).batches.size).toBe(0);
    // What a peer joining now would download: tombstones stay small because slots are reused.
    expect(Y.encodeStateAsUpdate(a.doc).length).toBeLessThan(8 * 1024);
    // b already held its own entries? It wrote none; a's log came across in many small batches.
    expect(a.replicator.stats.sent.batches).toBeGreaterThan(5);
    expect(b.replicator.stats.received.quarantined).toBe(0);
  });

  it('carries patients with their data keys, so the other device can read them', async () => {
    const { devices, settle } = await clinicWith(['a', 'b']);
    const [a, b] = devices as [Device, Device];
    const reg = await a.m.invoke('mgr', 'ws', 'patient.register', {
      details: {
        givenName: 'Noor',
        familyName: 'Haddad',
        preferredName: null,
        dateOfBirth: '1990-01-02',
        sex: 'female',
        phone: '555 0100',
        email: null,
        address: null,
        emergencyContact: null,
        referralSource: null,
        insurance: null,
      },
      confirmDuplicate: false,
    });
    expect(reg.ok).toBe(true);
    settle();
    await b.m.invoke('b-mgr', 'ws', 'session.signIn', {
      staffId: (a.m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id,
      passphrase: 'manager passphrase 1',
    });
    const found = await b.m.invoke('b-mgr', 'ws', 'patient.search', { query: 'Haddad' });
    expect(found).toMatchObject({ ok: true, value: [{ givenName: 'Noor', familyName: 'Haddad', readable: true }] });
    expect(b.replicator.stats.keysReceived).toBe(1);
  });

  describe('data keys (docs/architecture.md#key-rotation)', () => {
    const details = (givenName: string) => ({
      givenName,
      familyName: 'Haddad',
      preferredName: null,
      dateOfBirth: '1990-01-02',
      sex: 'female',
      phone: '555 0100',
      email: null,
      address: null,
      emergencyContact: null,
      referralSource: null,
      insurance: null,
    });
    /** Every batch `d` publishes, decoded. */
    const published = (d: Device) => {
      const batches: Batch[] = [];
      docMaps(d.doc).batches.observe((event) => {
        for (const key of event.keysChanged as Set<string>) {
          const value = docMaps(d.doc).batches.get(key);
          if (value) batches.push(decodeBatch(value));
        }
      });
      return batches;
    };
    /** The key names a batch must carry: one per (patient, kid) of its patient-stream entries outside the consent stream. */
    const expectedKeyNames = (batch: Batch) => {
      const names = new Set<string>();
      for (const item of batch.items) {
        if (!item.bytes) continue;
        const entry = JSON.parse(Buffer.from(item.bytes).toString('utf8')) as { stream: string; body: { kid?: string } };
        const patientId = patientOfStream(entry.stream);
        if (patientId === null || entry.stream === patientStream(patientId, 'consent')) continue;
        names.add(entry.body.kid === undefined ? patientId : `${patientId}.${entry.body.kid}`);
      }
      return [...names].sort();
    };
    const signInB = async (a: Device, b: Device) =>
      b.m.invoke('b-mgr', 'ws', 'session.signIn', {
        staffId: (a.m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id,
        passphrase: 'manager passphrase 1',
      });

    it('an entry sealed under a rotated key travels with that key, once per batch, and opens on the other device', async () => {
      const { devices, settle, arrivals } = await clinicWith(['a', 'b']);
      const [a, b] = devices as [Device, Device];
      const batches = published(a);
      const reg = await a.m.invoke('mgr', 'ws', 'patient.register', { details: details('Noor'), confirmDuplicate: false });
      expect(reg.ok).toBe(true);
      const patientId = (a.m.db.prepare('SELECT patient_id AS id FROM view_patients').get() as { id: string }).id;
      settle();
      const original = a.m.keystore.keyFor(patientId)!;
      expect(b.m.keystore.keyFor(patientId)).toEqual(original);

      const rotated = a.m.keystore.rotate(patientId, Date.now());
      const updated = await a.m.invoke('mgr', 'ws', 'patient.update', { patientId, details: details('Nour') });
      expect(updated.ok).toBe(true);
      const last = a.m.db
        .prepare<[string, string], { bytes: Buffer }>('SELECT bytes FROM entries WHERE stream = ? AND kind = ?')
        .get(patientStream(patientId, 'profile'), 'patient.updated')!;
      expect((JSON.parse(last.bytes.toString()) as { body: { kid: string } }).body.kid).toBe(rotated.kid);
      settle();

      expect(b.m.keystore.keyById(patientId, rotated.kid)).toEqual(Buffer.from(rotated.key));
      expect(b.m.keystore.sealingKey(patientId)?.kid).toBe(rotated.kid);
      expect(b.m.keystore.keysOf(patientId).map((k) => k.kid)).toEqual([kidOf(original), rotated.kid]);
      expect(digests([b])).toEqual(digests([a]));
      await signInB(a, b);
      // (The search is itself recorded, in b's private stream: docs/architecture.md#access-audit.)
      const found = await b.m.invoke('b-mgr', 'ws', 'patient.search', { query: 'Haddad' });
      expect(found).toMatchObject({ ok: true, value: [{ givenName: 'Nour', readable: true }] });
      expect(b.replicator.stats.keysReceived).toBe(2);
      // After each stored run, the hook hears which patients' keys came with it (where a sweep can drop keys).
      expect(arrivals.filter((x) => x.device === 'b' && x.patients.includes(patientId)).length).toBeGreaterThanOrEqual(2);

      const names = batches.flatMap((batch) => [...batch.keys.keys()]);
      expect(names).toContain(`${patientId}.${kidOf(original)}`);
      expect(names).toContain(`${patientId}.${rotated.kid}`);
      for (const batch of batches) expect([...batch.keys.keys()].sort()).toEqual(expectedKeyNames(batch));
    });

    it('a body written before key ids travels with the original key under the patient id, as older builds send it, and opens', async () => {
      const { devices, settle, manager } = await clinicWith(['a', 'b']);
      const [a, b] = devices as [Device, Device];
      const patientId = 'c'.repeat(32);
      const stream = patientStream(patientId, 'profile');
      const key = a.m.keystore.createKey(patientId, 1);
      a.m.ledger.append({ stream, kind: 'patient.registered', by: manager.id, body: sealBody(key, stream, 'patient.registered', details('Lina')) });
      const batches = published(a);
      settle();
      expect(batches.some((batch) => batch.keys.has(patientId))).toBe(true);
      expect(b.m.keystore.keyFor(patientId)).toEqual(key);
      await signInB(a, b);
      expect(await b.m.invoke('b-mgr', 'ws', 'patient.search', { query: 'Haddad' })).toMatchObject({
        ok: true,
        value: [{ givenName: 'Lina', readable: true }],
      });
      // The next version is sealed with the same key and says so; the receiver keeps one key.
      await a.m.invoke('mgr', 'ws', 'patient.update', { patientId, details: details('Lena') });
      settle();
      expect(b.m.keystore.keysOf(patientId)).toEqual([{ kid: kidOf(key), key }]);
      expect(await b.m.invoke('b-mgr', 'ws', 'patient.search', { query: 'Haddad' })).toMatchObject({
        ok: true,
        value: [{ givenName: 'Lena', readable: true }],
      });
    });

    it('a key that comes with an entry written before its device heard of an erasure is not stored, and sync goes on (docs/architecture.md#erasure)', async () => {
      const { devices, settle } = await clinicWith(['a', 'b']);
      const [a, b] = devices as [Device, Device];
      const reg = await a.m.invoke('mgr', 'ws', 'patient.register', { details: details('Noor'), confirmDuplicate: false });
      expect(reg.ok).toBe(true);
      const patientId = (reg as { value: { patientId: string } }).value.patientId;
      settle();
      expect(b.m.keystore.hasKey(patientId)).toBe(true);
      // Between two sync steps: b's manager erases the record while a, not knowing, records new details (sealed: they travel with the key).
      expect((await signInB(a, b)).ok).toBe(true);
      const erased = await b.m.invoke('b-mgr', 'ws', 'patient.erase', {
        patientId,
        requestedOn: '2026-01-05',
        receivedVia: 'email',
        overrideReason: null,
        confirm: 'Haddad',
      });
      expect(erased.ok, JSON.stringify(erased)).toBe(true);
      expect(b.m.keystore.hasKey(patientId)).toBe(false);
      const keysBefore = b.replicator.stats.keysReceived;
      expect((await a.m.invoke('mgr', 'ws', 'patient.update', { patientId, details: details('Nora') })).ok).toBe(true);
      settle();
      // b took a's entry, not its key; a took the erasure and, once it acts on it (sync's consent step), holds no key either.
      expect(entryCount(b)).toBe(entryCount(a));
      expect(b.replicator.stats.keysReceived).toBe(keysBefore);
      expect(b.m.keystore.hasKey(patientId)).toBe(false);
      expect(enforceConsent(a.m.db, a.m.keystore, Date.now()).erased).toEqual([patientId]);
      expect(digests(devices)[0]).toBe(digests(devices)[1]);
      expect(b.m.db.prepare("SELECT count(*) AS n FROM view_patients WHERE given = 'Nora' OR given = 'Noor'").get()).toEqual({ n: 0 });
    });

    it('entries of the consent stream never carry a key: a device that receives only that stream holds none', async () => {
      const consentOnly = (stream: string) => patientOfStream(stream) === null || stream.endsWith('/consent');
      const { devices, settle, clinic, manager } = await clinicWith(['a', 'b'], consentOnly);
      const [a, b] = devices as [Device, Device];
      const batches = published(a);
      const reg = await a.m.invoke('mgr', 'ws', 'patient.register', { details: details('Noor'), confirmDuplicate: false });
      expect(reg.ok).toBe(true);
      const patientId = (a.m.db.prepare('SELECT patient_id AS id FROM view_patients').get() as { id: string }).id;
      const sealing = a.m.keystore.rotate(patientId, Date.now());
      const stream = patientStream(patientId, 'consent');
      const grant = a.m.ledger.append({
        stream,
        kind: 'consent.granted',
        by: manager.id,
        body: {
          home: clinic.id,
          grantee: 'e'.repeat(64),
          categories: ['profile'],
          from: 0,
          until: null,
          details: sealBody(
            sealing.key,
            stream,
            'consent.granted',
            { purpose: 'treatment', note: '', capture: { method: 'verbal', witness: 'Sam' } },
            sealing.kid,
          ),
        },
      });
      settle();
      const carried = batches.flatMap((batch) => batch.items.filter((i) => i.bytes).map((i) => i.hash));
      expect(carried).toContain(grant.hash);
      expect(batches.every((batch) => batch.keys.size === 0)).toBe(true);
      expect(b.m.keystore.patientsWithKeys()).toEqual([]);
      expect(b.replicator.stats.keysReceived).toBe(0);
    });
  });

  it('converges after both sides wrote while partitioned', async () => {
    const { devices, settle, net } = await clinicWith(['a', 'b']);
    const [a, b] = devices as [Device, Device];
    settle();
    await b.m.invoke('b', 'ws', 'session.signIn', {
      staffId: (a.m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id,
      passphrase: 'manager passphrase 1',
    });
    net.cut('b');
    await addStaff(a.m, 120, 'a');
    for (let i = 0; i < 120; i++) {
      const r = await b.m.invoke('b', 'ws', 'settings.update', { autoLockMinutes: 3 + (i % 50) });
      expect(r.ok).toBe(true);
    }
    settle();
    const apart = entryCount(a);
    expect(entryCount(b)).toBe(apart);
    net.heal('b');
    settle();
    expect(entryCount(a)).toBe(apart + 120);
    expect(entryCount(b)).toBe(apart + 120);
    expect(digests([a])).toEqual(digests([b]));
  });

  it('quarantines a forged entry and keeps syncing', async () => {
    const { devices, settle } = await clinicWith(['a', 'b']);
    const [a, b] = devices as [Device, Device];
    settle();
    const before = entryCount(b);
    // An attacker inside the room publishes a batch of a's log with a forged entry in it.
    const real = a.m.db
      .prepare<[], { bytes: Buffer; sig: string; hash: string }>('SELECT bytes, sig, hash FROM entries ORDER BY local_seq DESC LIMIT 1')
      .get()!;
    const forgedBytes = Buffer.from(
      real.bytes
        .toString()
        .replace('"seq":', '"seq":9')
        .replace(/"at":\d+/, '"at":1'),
    );
    const { entryHash } = await import('../ledger/crypto/index.js');
    const forgedHash = entryHash(forgedBytes);
    const mallory = 'M'.repeat(43);
    a.doc.transact(() => {
      docMaps(a.doc).batches.set(
        `${mallory}:0`,
        encodeBatch({
          from: 1,
          to: 2,
          items: [{ hash: forgedHash, carried: 'bytes', sig: real.sig, bytes: forgedBytes }],
          keys: new Map(),
        }),
      );
    }, LOCAL_ORIGIN);
    // b reads that as from a member it does not know as live; it still ingests it (nothing is trusted).
    b.replicator.step();
    const reasons = b.m.db
      .prepare<[], { reason: string }>('SELECT reason FROM quarantine ORDER BY id')
      .all()
      .map((r) => r.reason);
    expect(reasons.some((r) => /signature does not verify|prev is not/.test(r))).toBe(true);
    await addStaff(a.m, 10, 'a');
    settle();
    expect(entryCount(b)).toBe(before + 10);
  });

  it('devices sign checkpoints of their local chains, witness each other, and refuse one that rewrites history', async () => {
    const { devices, settle } = await clinicWith(['a', 'b']);
    const [a, b] = devices as [Device, Device];
    settle();
    expect(checkpointRound(a.m.ledger)).toBe(1);
    settle();
    expect(checkpointRound(b.m.ledger)).toBe(2); // witnesses a's, signs its own
    settle();
    expect(checkpointRound(a.m.ledger)).toBe(1); // witnesses b's; nothing new of its own to sign
    settle();
    expect(checkpointRound(a.m.ledger)).toBe(0); // idle: writes nothing
    const mine = witnessedCheckpoints(a.m.db, a.m.ledger.device.publicKey);
    expect(mine).toEqual([expect.objectContaining({ witnesses: 1, matches: true })]);
    // A device whose history was rewritten cannot sign a checkpoint that does not extend its last.
    const clinicId = (a.m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    const last = mine[0]!;
    expect(() =>
      a.m.ledger.append({
        stream: clinicStream(clinicId, 'public'),
        kind: 'checkpoint.signed',
        by: null,
        body: { size: last.size, chain: 'f'.repeat(64) },
      }),
    ).toThrow(/checkpoint inconsistent .*same size, different chain/);
    expect(() =>
      a.m.ledger.append({
        stream: clinicStream(clinicId, 'public'),
        kind: 'checkpoint.signed',
        by: null,
        body: { size: last.size - 1, chain: 'f'.repeat(64) },
      }),
    ).toThrow(/fewer than/);
    expect(digests([a])).toEqual(digests([b]));
    // `movelog verify` reports the witnessed checkpoints the local chain matches.
    const report = await verifyDatabase(join(a.m.dataDir, 'movelog.db'), {
      workers: 0,
      dbKey: a.m.vault.secrets.dbKey,
      keystoreMasterKey: null,
      device: a.m.ledger.device.publicKey,
    });
    expect(report.problem).toBeNull();
    expect(report.checkpoints).toEqual([expect.objectContaining({ size: last.size, witnesses: 1, matches: true })]);
    // The newest witnessed checkpoint goes into the vault, where a rollback of the database cannot
    // take it back, and `movelog verify` checks the chain against it (docs/architecture.md#rollback-and-truncation).
    const reopened = openMovelog(a.m.dataDir, Date.now, quiet);
    opened.push(reopened);
    expect(reopened.vault.secrets.witness).toEqual({ size: last.size, chain: last.chain });
    const held = await verifyDatabase(join(a.m.dataDir, 'movelog.db'), {
      workers: 0,
      dbKey: a.m.vault.secrets.dbKey,
      witness: reopened.vault.secrets.witness,
    });
    expect(held.problem).toBeNull();
  });

  it('any schedule of partitions and writes converges to identical views (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('write', 'cut', 'heal', 'step')), { minLength: 5, maxLength: 25 }),
        async (plan) => {
          const { devices, settle, net } = await clinicWith(['a', 'b', 'c']);
          settle();
          const id = (devices[0]!.m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
          for (const d of devices) await d.m.invoke('s', 'ws', 'session.signIn', { staffId: id, passphrase: 'manager passphrase 1' });
          let n = 0;
          for (const [who, action] of plan) {
            const d = devices.find((x) => x.name === who)!;
            if (action === 'write') for (let i = 0; i < 5; i++) await d.m.invoke('s', 'ws', 'settings.update', { autoLockMinutes: 1 + (n++ % 200) });
            else if (action === 'cut') net.cut(who);
            else if (action === 'heal') net.heal(who);
            else d.replicator.step();
          }
          for (const d of devices) net.heal(d.name);
          settle();
          const counts = devices.map(entryCount);
          expect(new Set(counts).size).toBe(1);
          expect(new Set(digests(devices)).size).toBe(1);
          for (const d of devices) expect(docMaps(d.doc).batches.size).toBe(0);
        },
      ),
      { numRuns: 6, seed: 20261123 },
    );
  });

  describe('a device restored from a backup (docs/architecture.md#backups)', () => {
    /** Backs up `d`'s folder now; returns the backup file. */
    const backupOf = (d: Device) => {
      const out = join(mkdtempSync(join(tmpdir(), 'movelog-backup-')), 'clinic.backup');
      writeBackup(d.m.dataDir, d.m.vault, unlockFromEnvironment()!, out, Date.now());
      return out;
    };

    /**
     * Takes `d` out of the room and closes its folder (the computer is lost), restores `backup` into
     * a new folder and brings that in as `name`, with the same device key, as `movelog sync` would.
     */
    const restoreInto = (room: Awaited<ReturnType<typeof clinicWith>>, d: Device, backup: string, name: string, noPeers = false): Device => {
      room.net.cut(d.name);
      room.devices.splice(room.devices.indexOf(d), 1);
      opened.splice(opened.indexOf(d.m), 1);
      d.m.close();
      const dir = join(mkdtempSync(join(tmpdir(), 'movelog-restored-')), 'data');
      restoreBackup(backup, dir, unlockFromEnvironment()!, { noPeers });
      const m = openMovelog(dir, Date.now, quiet);
      opened.push(m);
      room.keyOf.set(name, m.ledger.device.publicKey);
      const doc = room.net.add(name);
      const replicator = new Replicator({
        ledger: m.ledger,
        keystore: m.keystore,
        doc,
        room: room.keys.name,
        keyWrap: room.keys.keyWrap,
        share: () => true,
        liveMembers: () => room.net.reachable(name).map((other) => room.keyOf.get(other)!),
        stallMs: 0,
        rollbackMs: 0,
        restored: { waiting: () => restoreHold(m.db) !== null, caughtUp: (size) => resumeAfterRestore(m.db, size) },
      });
      const restored = { name, m, doc, replicator };
      room.devices.push(restored);
      return restored;
    };
    const signIn = async (d: Device, staffId: string, connection = d.name) =>
      d.m.invoke(connection, 'ws', 'session.signIn', { staffId, passphrase: 'manager passphrase 1' });
    /**
     * After the backup: b writes while cut off from a, a writes, then they meet, so each holds both
     * runs in another order; a signs a checkpoint of its order and b witnesses it.
     */
    const writeApartThenMeet = async (room: Awaited<ReturnType<typeof clinicWith>>, a: Device, b: Device, n: number) => {
      await signIn(b, room.manager.id, 'mgr');
      room.net.cut('b');
      await addStaff(b.m, 5, 'b');
      await addStaff(a.m, n, 'a');
      room.net.heal('b');
      room.settle();
      expect(checkpointRound(a.m.ledger)).toBe(1);
      room.settle();
      expect(checkpointRound(b.m.ledger)).toBeGreaterThan(0);
      room.settle();
    };
    const hashes = (d: Device) =>
      new Set(
        d.m.db
          .prepare<[], { hash: string }>('SELECT hash FROM entries')
          .all()
          .map((r) => r.hash),
      );
    const verified = (d: Device) =>
      verifyDatabase(join(d.m.dataDir, 'movelog.db'), {
        workers: 0,
        dbKey: d.m.vault.secrets.dbKey,
        keystoreMasterKey: d.m.vault.secrets.masterKey,
        device: d.m.ledger.device.publicKey,
      });

    it('holds its writes until it has taken back what it wrote after the backup, then writes without equivocating', async () => {
      const room = await clinicWith(['a', 'b']);
      const [a, b] = room.devices as [Device, Device];
      room.settle();
      const backup = backupOf(a);
      // After the backup, a writes and signs a checkpoint that b witnesses, and all of it reaches b.
      await writeApartThenMeet(room, a, b, 20);
      const written = hashes(a);
      expect(witnessedCheckpoints(b.m.db, a.m.ledger.device.publicKey)).toHaveLength(1);

      const r = restoreInto(room, a, backup, 'a2');
      expect(r.m.ledger.device.publicKey).toBe(a.m.ledger.device.publicKey);
      expect(restoreHold(r.m.db)).not.toBeNull();
      await signIn(r, room.manager.id);
      const refused = await r.m.invoke('a2', 'ws', 'settings.update', { autoLockMinutes: 9 });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'unavailable', message: expect.stringMatching(/restored from a backup/) as string },
      });
      expect(() => checkpointRound(r.m.ledger)).not.toThrow();
      // The Clinic and Network pages say that it waits.
      expect(await r.m.invoke('a2', 'ws', 'clinic.overview', {})).toMatchObject({ ok: true, value: { restored: { waiting: true } } });
      expect(await r.m.invoke('a2', 'ws', 'network.status', {})).toMatchObject({ ok: true, value: { waitingAfterRestore: true } });

      room.settle();
      expect(restoreHold(r.m.db)).toBeNull();
      expect(await r.m.invoke('a2', 'ws', 'clinic.overview', {})).toMatchObject({ ok: true, value: { restored: { waiting: false } } });
      expect(await r.m.invoke('a2', 'ws', 'network.status', {})).toMatchObject({ ok: true, value: { waitingAfterRestore: false } });
      expect([...written].filter((h) => !hashes(r).has(h))).toEqual([]);
      const [record] = restoreRecords(r.m.db);
      expect(record?.resumed).toBe(entryCount(r));

      expect((await r.m.invoke('a2', 'ws', 'settings.update', { autoLockMinutes: 11 })).ok).toBe(true);
      room.settle();
      expect(entryCount(b)).toBe(entryCount(r));
      expect(digests([r])).toEqual(digests([b]));
      for (const d of [r, b]) {
        expect(d.m.db.prepare('SELECT count(*) AS n FROM forks').get()).toEqual({ n: 0 });
        expect(d.m.db.prepare('SELECT count(*) AS n FROM frozen_authors').get()).toEqual({ n: 0 });
      }

      // The checkpoint a signed after the backup came back and names the log the restore replaced:
      // reported as such, not as tampering; the restored device signs and gets witnessed anew.
      const [old] = witnessedCheckpoints(r.m.db, r.m.ledger.device.publicKey);
      expect(old).toMatchObject({ matches: false, replaced: true });
      await signIn(r, room.manager.id, 'mgr');
      await addStaff(r.m, 3, 'a2');
      room.settle();
      expect(checkpointRound(r.m.ledger)).toBeGreaterThan(0);
      room.settle();
      expect(checkpointRound(b.m.ledger)).toBeGreaterThan(0);
      room.settle();
      expect(witnessedCheckpoints(r.m.db, r.m.ledger.device.publicKey).filter((c) => c.matches)).toHaveLength(1);
      for (const d of [r, b]) expect((await verified(d)).problem).toBeNull();
      expect(b.m.db.prepare('SELECT count(*) AS n FROM quarantine').get()).toEqual({ n: 0 });
    });

    it('makes the others read its log again from the start, so what it writes at positions they passed over reaches them (--no-peers)', async () => {
      const room = await clinicWith(['a', 'b']);
      const [a, b] = room.devices as [Device, Device];
      room.settle();
      const backup = backupOf(a);
      // After the backup a's log grows only by what it takes from b, and b's cursor into a follows.
      await signIn(b, room.manager.id, 'mgr');
      await addStaff(b.m, 30, 'b');
      room.settle();
      const bCursor = b.replicator.cursor(a.m.ledger.device.publicKey);
      const r = restoreInto(room, a, backup, 'a2', true);
      expect(restoreHold(r.m.db)).toBeNull();
      await signIn(r, room.manager.id);
      // Written at once, at positions b's cursor into this device's log has passed already.
      for (let i = 0; i < 3; i++) expect((await r.m.invoke('a2', 'ws', 'settings.update', { autoLockMinutes: 40 + i })).ok).toBe(true);
      expect(entryCount(r)).toBeLessThan(bCursor);
      room.settle();
      expect([...hashes(r)].filter((h) => !hashes(b).has(h))).toEqual([]);
      expect(entryCount(b)).toBe(entryCount(r));
      expect(digests([r])).toEqual(digests([b]));
      expect(b.m.db.prepare('SELECT count(*) AS n FROM forks').get()).toEqual({ n: 0 });
    });

    it("a frontier that shows a shorter log only for a moment (an older process's value) is set again, and its log is not read again", async () => {
      let clock = 1_000_000;
      const room = await clinicWith(['a', 'b'], undefined, { now: () => clock, rollbackMs: 3_000 });
      const [a, b] = room.devices as [Device, Device];
      const aKey = a.m.ledger.device.publicKey;
      room.settle();
      const cursor = b.replicator.cursor(aKey);
      expect(cursor).toBe(a.replicator.logSize());
      // a's key in the document now holds what a previous process of a left there (it won the
      // concurrent write): a log of 1 entry.
      b.doc.transact(() => docMaps(b.doc).frontiers.set(aKey, encodeFrontier({ logSize: 1, cursors: new Map() })), LOCAL_ORIGIN);
      b.replicator.step();
      expect(b.replicator.cursor(aKey)).toBe(cursor);
      // a sees that the document does not hold its frontier, and sets it again.
      a.replicator.step();
      expect(decodeFrontier(docMaps(b.doc).frontiers.get(aKey)!).logSize).toBe(a.replicator.logSize());
      clock += 10_000;
      b.replicator.step();
      expect(b.replicator.cursor(aKey)).toBe(cursor);
      // A log that stays shorter for 3 s is read again from the start (entries held are skipped).
      b.doc.transact(() => docMaps(b.doc).frontiers.set(aKey, encodeFrontier({ logSize: 1, cursors: new Map() })), LOCAL_ORIGIN);
      b.replicator.step();
      expect(b.replicator.cursor(aKey)).toBe(cursor);
      clock += 3_000;
      b.replicator.step();
      expect(b.replicator.cursor(aKey)).toBe(0);
      const stored = b.replicator.stats.received.stored;
      room.settle();
      expect(b.replicator.cursor(aKey)).toBe(a.replicator.logSize());
      expect(b.replicator.stats.received.stored).toBe(stored);
      expect(entryCount(b)).toBe(entryCount(a));
    });

    it('a rollback by other means (an older database put back, no restore recorded) is still reported by verify', async () => {
      const room = await clinicWith(['a', 'b']);
      const [a, b] = room.devices as [Device, Device];
      room.settle();
      const backup = backupOf(a);
      await writeApartThenMeet(room, a, b, 10);
      const r = restoreInto(room, a, backup, 'a2');
      // What a copy of the older movelog.db put back by hand looks like: no restore, no hold.
      r.m.db.prepare("DELETE FROM sync_settings WHERE key = 'restored'").run();
      room.settle();
      expect(witnessedCheckpoints(r.m.db, r.m.ledger.device.publicKey)).toEqual([expect.objectContaining({ matches: false, replaced: false })]);
      const report = await verified(r);
      expect(report.problem?.reason).toMatch(/differs from the checkpoint 1 other device\(s\) witnessed/);
    });
  });
});
