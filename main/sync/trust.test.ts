import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { clinicIdentity, readClinic } from '../clinic/queries.js';
import { listStaff } from '../clinic/staffQueries.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { clinicStream } from '../ledger/streams.js';
import { mayShare } from './entitlement.js';
import { Replicator } from './replicator.js';
import { newRoomSecret, roomKeys } from './rooms.js';
import { ensureClinicSecret } from './settings.js';
import { MemoryNet } from './testing/memoryNet.js';
import { recordTrust, safetyNumber, trustedPairs } from './trust.js';
import type { CallOutput } from '../../shared/api/index.js';

type Status = CallOutput<'network.status'>;
const statusOf = async (m: Movelog): Promise<Status> => {
  const result = await m.invoke('mgr', 'ws', 'network.status', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Status;
};

const quiet = { warn: () => undefined, error: () => undefined };
const opened: Movelog[] = [];
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

interface Clinic {
  readonly m: Movelog;
  readonly id: string;
  readonly manager: string;
}

async function clinic(name: string, manager: string): Promise<Clinic> {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-trust-')), Date.now, quiet);
  opened.push(m);
  const setup = await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: name, managerName: manager, passphrase: 'manager passphrase 1' });
  expect(setup.ok).toBe(true);
  ensureClinicSecret(m.db, m.keystore, m.ledger.device.publicKey, Date.now());
  const home = clinicIdentity(m.db)!;
  return { m, id: home.id, manager: listStaff(m.db)[0]!.id };
}

/** Every entry of `from` offered to `to` (what a careless or hostile peer could send). */
function offerAll(from: Movelog, to: Movelog) {
  const rows = from.db.prepare<[], { bytes: Buffer; sig: string }>('SELECT bytes, sig FROM entries ORDER BY local_seq').all();
  return to.ledger.ingestMany(
    rows.map((r) => ({ bytes: new Uint8Array(r.bytes), sig: r.sig })),
    'test',
    () => undefined,
  );
}

const publicEntries = (m: Movelog, clinicId: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(clinicStream(clinicId, 'public'))!.n;

describe('trust between clinics', () => {
  it('gives both clinics the same safety number, and a different one for any other secret or clinic', () => {
    const secret = newRoomSecret();
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(safetyNumber(a, b, secret)).toBe(safetyNumber(b, a, secret));
    expect(safetyNumber(a, b, secret)).toMatch(/^\d{5}( \d{5}){7}$/);
    expect(safetyNumber(a, b, newRoomSecret())).not.toBe(safetyNumber(a, b, secret));
    expect(safetyNumber(a, 'c'.repeat(64), secret)).not.toBe(safetyNumber(a, b, secret));
  });

  it("stores another clinic's public stream only once this clinic trusts it, and keeps it out of this clinic's own lists", async () => {
    const harbour = await clinic('Harbour Rehab', 'Lee Chen');
    const summit = await clinic('Summit Physio', 'Ana Ruiz');
    // Not trusted: the other clinic's entries wait (bounded), nothing of it is stored.
    const before = offerAll(summit.m, harbour.m);
    // Genesis, first manager, passphrase verifier (private), time zone.
    expect(before.map((r) => r.status)).toEqual(['pending', 'pending', 'quarantined', 'pending']);
    expect(before[2]?.status === 'quarantined' && before[2].reason).toBe("another clinic's private stream never leaves that clinic");
    expect(publicEntries(harbour.m, summit.id)).toBe(0);

    recordTrust(
      harbour.m.ledger,
      harbour.m.keystore,
      harbour.manager,
      { id: summit.id, name: 'Summit Physio' },
      safetyNumber(harbour.id, summit.id, newRoomSecret()),
      newRoomSecret(),
    );
    // Trust releases what waited: the public stream is stored; the private one never is.
    expect(publicEntries(harbour.m, summit.id)).toBe(publicEntries(summit.m, summit.id));
    expect(
      harbour.m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?').get(clinicStream(summit.id, 'private'))!.n,
    ).toBe(0);

    // This clinic stays this clinic: identity, staff, devices.
    expect(clinicIdentity(harbour.m.db)?.id).toBe(harbour.id);
    expect(readClinic(harbour.m.db)?.name).toBe('Harbour Rehab');
    expect(listStaff(harbour.m.db).map((s) => s.name)).toEqual(['Lee Chen']);
    const status = await statusOf(harbour.m);
    expect(status.devices.length).toBe(1);
    expect(status.clinics.map((c) => [c.name, c.state, c.staff.map((s) => s.name)])).toEqual([['Summit Physio', 'trusted', ['Ana Ruiz']]]);

    // Views rebuilt from the entries are the same (trust is in the ledger, not in local state).
    const digest = viewDigest(harbour.m.db);
    rebuildViews(harbour.m.db, harbour.m.keystore);
    expect(viewDigest(harbour.m.db)).toBe(digest);
  });

  it('refuses trust from anyone but a manager, and a clinic trusting itself', async () => {
    const harbour = await clinic('Harbour Rehab', 'Lee Chen');
    const fingerprint = safetyNumber(harbour.id, 'f'.repeat(64), newRoomSecret());
    expect(() =>
      harbour.m.ledger.append({
        stream: clinicStream(harbour.id, 'public'),
        kind: 'clinic.trusted',
        by: null,
        body: { clinic: 'f'.repeat(64), name: 'X', fingerprint },
      }),
    ).toThrow(/only a manager/);
    expect(() =>
      harbour.m.ledger.append({
        stream: clinicStream(harbour.id, 'public'),
        kind: 'clinic.trusted',
        by: harbour.manager,
        body: { clinic: harbour.id, name: 'X', fingerprint },
      }),
    ).toThrow(/cannot trust itself/);
    const refused = await harbour.m.invoke('mgr', 'ws', 'network.withdrawTrust', { clinic: 'f'.repeat(64), reason: 'test' });
    expect(refused.ok ? null : refused.error.message).toBe('This clinic does not trust that clinic.');
  });

  it('replicates public streams both ways through a pair room, never private or patient streams; withdrawal retires the secret', async () => {
    const harbour = await clinic('Harbour Rehab', 'Lee Chen');
    const summit = await clinic('Summit Physio', 'Ana Ruiz');
    const patient = await harbour.m.invoke('mgr', 'ws', 'patient.register', {
      details: {
        givenName: 'Maya',
        familyName: 'Okafor',
        preferredName: null,
        dateOfBirth: '1988-04-12',
        sex: 'female',
        phone: '+44 20 7946 0001',
        email: null,
        address: null,
        emergencyContact: null,
        referralSource: null,
        insurance: null,
      },
      confirmDuplicate: false,
    });
    expect(patient.ok).toBe(true);
    const secret = newRoomSecret();
    const fingerprint = safetyNumber(harbour.id, summit.id, secret);
    recordTrust(harbour.m.ledger, harbour.m.keystore, harbour.manager, { id: summit.id, name: 'Summit Physio' }, fingerprint, secret);
    recordTrust(summit.m.ledger, summit.m.keystore, summit.manager, { id: harbour.id, name: 'Harbour Rehab' }, fingerprint, secret);
    // Each side opens the same pair secret from its own private stream.
    expect(trustedPairs(harbour.m.db, harbour.m.keystore).map((p) => p.secret.equals(secret))).toEqual([true]);
    expect(trustedPairs(summit.m.db, summit.m.keystore).map((p) => p.secret.equals(secret))).toEqual([true]);

    const net = new MemoryNet();
    const keys = roomKeys(secret);
    const sides = [
      { name: 'h', c: harbour, peer: summit },
      { name: 's', c: summit, peer: harbour },
    ];
    const keyOf = new Map(sides.map((s) => [s.name, s.c.m.ledger.device.publicKey]));
    const replicators = sides.map(
      (s) =>
        new Replicator({
          ledger: s.c.m.ledger,
          keystore: s.c.m.keystore,
          doc: net.add(s.name),
          room: keys.name,
          keyWrap: keys.keyWrap,
          share: (stream) => mayShare(s.c.m.db, stream, { kind: 'pair', clinicId: s.c.id, peerClinicId: s.peer.id }),
          liveMembers: () => net.reachable(s.name).map((o) => keyOf.get(o)!),
          stallMs: 0,
        }),
    );
    for (let i = 0; i < 200; i++) for (const r of replicators) r.step();

    expect(publicEntries(summit.m, harbour.id)).toBe(publicEntries(harbour.m, harbour.id));
    expect(publicEntries(harbour.m, summit.id)).toBe(publicEntries(summit.m, summit.id));
    const foreignStreams = summit.m.db
      .prepare<[string], { stream: string }>("SELECT DISTINCT stream FROM entries WHERE stream NOT LIKE 'c:' || ? || '/%'")
      .all(summit.id);
    expect(foreignStreams.map((r) => r.stream)).toEqual([clinicStream(harbour.id, 'public')]);
    expect((await statusOf(summit.m)).clinics[0]?.staff.map((s) => s.name)).toEqual(['Lee Chen']);

    // The clinics a patient's consent can name: trusted now, by name.
    expect(await harbour.m.invoke('mgr', 'ws', 'network.trustedClinics', {})).toEqual({
      ok: true,
      value: [{ id: summit.id, name: 'Summit Physio' }],
    });

    const withdrawn = await harbour.m.invoke('mgr', 'ws', 'network.withdrawTrust', { clinic: summit.id, reason: 'Contract ended' });
    expect(withdrawn.ok).toBe(true);
    expect(await harbour.m.invoke('mgr', 'ws', 'network.trustedClinics', {})).toEqual({ ok: true, value: [] });
    expect(trustedPairs(harbour.m.db, harbour.m.keystore)).toEqual([]);
    expect((await statusOf(harbour.m)).clinics.map((c) => c.state)).toEqual(['withdrawn']);
    // The sealed secret was replaced by a fresh one the other clinic never saw.
    const sealed = harbour.m.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM entries WHERE kind = 'trust.secret'").get()!.n;
    expect(sealed).toBe(2);
  });
});
