import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { clinicIdentity } from '../clinic/queries.js';
import { listStaff } from '../clinic/staffQueries.js';
import { rebuildViews, viewDigest } from '../ledger/rebuild.js';
import { ConsentFollower } from './consentFollow.js';
import { mayShare } from './entitlement.js';
import { Replicator } from './replicator.js';
import { newRoomSecret, roomKeys } from './rooms.js';
import { ensureClinicSecret } from './settings.js';
import { MemoryNet } from './testing/memoryNet.js';
import { recordTrust, safetyNumber } from './trust.js';

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

let clock = Date.UTC(2026, 10, 30, 9);
const now = () => clock;

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
}

async function clinic(name: string, manager: string): Promise<Clinic> {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-consent-')), now, quiet);
  opened.push(m);
  await ok(m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: name, managerName: manager, passphrase: 'manager passphrase 1' }));
  ensureClinicSecret(m.db, m.keystore, m.ledger.device.publicKey, clock);
  return { m, id: clinicIdentity(m.db)!.id, manager: listStaff(m.db)[0]!.id };
}

/** Adds a staff member and signs them in on connection `tab`. */
async function staff(c: Clinic, tab: string, name: string, role: string): Promise<void> {
  const added = await ok<{ id: string }>(c.m.invoke('mgr', 'ws', 'staff.add', { name, role, licence: '', passphrase: `${name} passphrase 9` }));
  await ok(c.m.invoke(tab, 'ws', 'session.signIn', { staffId: added.id, passphrase: `${name} passphrase 9` }));
}

const details = {
  givenName: 'Maya',
  familyName: 'Okafor',
  preferredName: null,
  dateOfBirth: '1988-04-12',
  sex: 'female',
  phone: '+44 20 7946 0001',
  email: null,
  address: 'Quayside 12, Harbourtown',
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;

const note = {
  type: 'daily',
  appointmentId: null,
  subjective: 'Knee pain climbing stairs',
  objective: 'Quadriceps lag noted',
  assessment: '',
  plan: '',
  pain: 4,
} as const;

/** Every table.column of `m`'s database whose text holds one of `needles` (what a scan of a stolen file finds). */
function plaintextHits(m: Movelog, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const tables = m.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
  for (const { name } of tables) {
    const columns = m.db.prepare<[], { name: string }>(`PRAGMA table_info(${JSON.stringify(name)})`).all();
    for (const col of columns) {
      for (const needle of needles) {
        const n = m.db
          .prepare<[string], { n: number }>(
            `SELECT count(*) AS n FROM ${JSON.stringify(name)} WHERE instr(CAST(${JSON.stringify(col.name)} AS TEXT), ?) > 0`,
          )
          .get(needle)!.n;
        if (n > 0) hits.push(`${name}.${col.name}: ${needle}`);
      }
    }
  }
  return hits;
}

const streamsOf = (m: Movelog, patientId: string) =>
  m.db
    .prepare<[string], { stream: string }>("SELECT DISTINCT stream FROM entries WHERE stream LIKE 'p:' || ? || '/%' ORDER BY stream")
    .all(patientId)
    .map((r) => r.stream.slice(r.stream.indexOf('/') + 1));
const keysHeld = (m: Movelog, patientId: string) =>
  m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM patient_keys WHERE patient_id = ?').get(patientId)!.n;

/** Harbour and Summit trust each other and run their pair room in memory, following consent as the sync peer does. */
async function twoClinics() {
  const harbour = await clinic('Harbour Rehab', 'Lee Chen');
  const summit = await clinic('Summit Physio', 'Ana Ruiz');
  const secret = newRoomSecret();
  const fingerprint = safetyNumber(harbour.id, summit.id, secret);
  recordTrust(harbour.m.ledger, harbour.m.keystore, harbour.manager, { id: summit.id, name: 'Summit Physio' }, fingerprint, secret);
  recordTrust(summit.m.ledger, summit.m.keystore, summit.manager, { id: harbour.id, name: 'Harbour Rehab' }, fingerprint, secret);
  const net = new MemoryNet();
  const keys = roomKeys(secret);
  const sides = [
    { name: 'h', c: harbour, peer: summit },
    { name: 's', c: summit, peer: harbour },
  ];
  const keyOf = new Map(sides.map((s) => [s.name, s.c.m.ledger.device.publicKey]));
  const rooms = sides.map((s) => ({
    c: s.c,
    follower: new ConsentFollower(s.c.m.db, s.c.m.keystore),
    replicator: new Replicator({
      ledger: s.c.m.ledger,
      keystore: s.c.m.keystore,
      doc: net.add(s.name),
      room: keys.name,
      keyWrap: keys.keyWrap,
      share: (stream) => mayShare(s.c.m.db, stream, { kind: 'pair', clinicId: s.c.id, peerClinicId: s.peer.id }, clock),
      liveMembers: () => net.reachable(s.name).map((o) => keyOf.get(o)!),
      stallMs: 0,
      now,
    }),
  }));
  // Each round is 100 ms of the rooms' time (a rewind waits for 2 quiet seconds).
  const sync = (rounds = 60) => {
    for (let i = 0; i < rounds; i++) {
      clock += 100;
      for (const r of rooms) {
        r.replicator.step();
        const change = r.follower.check(r.c.id, clock);
        if (change?.republish) r.replicator.republish();
        if (change?.rewind) r.replicator.requestRewind();
      }
    }
  };
  sync(5);
  return { harbour, summit, sync };
}

describe('consent-scoped sharing between two clinics', () => {
  it('shares only the granted categories, brings the other clinic’s reading home, and locks the record there when consent is withdrawn', async () => {
    const { harbour, summit, sync } = await twoClinics();
    await staff(harbour, 'desk', 'Fran Ortiz', 'front_desk');
    await staff(harbour, 'pt', 'Priya Shah', 'therapist');
    await staff(summit, 'spt', 'Tomas Berg', 'therapist');
    const patient = await ok<{ patientId: string }>(harbour.m.invoke('desk', 'ws', 'patient.register', { details, confirmDuplicate: false }));
    const id = patient.patientId;
    await ok(harbour.m.invoke('pt', 'ws', 'notes.sign', { patientId: id, note }));
    await ok(harbour.m.invoke('desk', 'ws', 'patient.get', { patientId: id })); // an access entry at home
    const needles = ['Okafor', 'Quayside', '7946 0001', 'Quadriceps lag'];

    // No grant: nothing of the patient reaches Summit, not even the key.
    sync();
    expect(streamsOf(summit.m, id)).toEqual([]);
    expect(keysHeld(summit.m, id)).toBe(0);
    expect(plaintextHits(summit.m, needles)).toEqual([]);
    // (The room works: Harbour's public stream did arrive.)
    expect(summit.m.db.prepare("SELECT count(*) AS n FROM entries WHERE stream = 'c:' || ? || '/public'").get(harbour.id)).toEqual({
      n: expect.any(Number) as number,
    });

    // Grant profile and clinical notes: those streams, the consent stream and the key arrive; not the access log.
    const grant = await ok<{ hash: string }>(
      harbour.m.invoke('desk', 'ws', 'consent.grant', {
        patientId: id,
        grantee: summit.id,
        categories: ['clinical', 'profile'],
        from: null,
        until: null,
        purpose: 'second_opinion',
        note: '',
        capture: { method: 'verbal', witness: 'Fran Ortiz' },
      }),
    );
    sync();
    expect(streamsOf(summit.m, id)).toEqual(['clinical', 'consent', 'profile']);
    expect(keysHeld(summit.m, id)).toBe(1);
    const found = await ok<{ sharing: unknown }[]>(summit.m.invoke('spt', 'ws', 'patient.search', { query: 'okafor' }));
    expect(found).toMatchObject([
      { familyName: 'Okafor', sharing: { homeClinicName: 'Harbour Rehab', categories: ['profile', 'clinical'], until: null, locked: false } },
    ]);
    // Summit's therapist has no visit with her at Summit (docs/architecture.md#break-the-glass): the
    // record is outside his care there until he gives a reason, an emergency access of Summit's.
    expect(await summit.m.invoke('spt', 'ws', 'consent.get', { patientId: id })).toMatchObject({ ok: false, error: { code: 'outside_care' } });
    await ok(summit.m.invoke('spt', 'ws', 'patient.breakGlass', { patientId: id, reason: 'Second opinion asked by Harbour Rehab' }));
    const state = await ok<{ shared: boolean; history: unknown[] }>(summit.m.invoke('spt', 'ws', 'consent.get', { patientId: id }));
    expect(state).toMatchObject({ shared: true, locked: false, homeClinicName: 'Harbour Rehab' });
    expect(state.history).toMatchObject([{ hash: grant.hash, kind: 'granted', status: 'active', details: { purpose: 'second_opinion' } }]);

    // What may go where (mayShare, the one place that decides), from both sides.
    const third = 'c'.repeat(64);
    /** `audience`: this clinic's own devices ('own'), or the pair room with a clinic (or a clinic id). */
    const share = (c: Clinic, category: string, audience: Clinic | string) =>
      mayShare(
        c.m.db,
        `p:${id}/${category}`,
        audience === 'own'
          ? { kind: 'clinic', clinicId: c.id, trusted: new Set() }
          : { kind: 'pair', clinicId: c.id, peerClinicId: typeof audience === 'string' ? audience : audience.id },
        clock,
      );
    expect(['profile', 'schedule', 'clinical', 'access', 'consent'].map((k) => share(harbour, k, summit))).toEqual([true, false, true, false, true]);
    expect(['profile', 'schedule', 'clinical', 'access', 'consent'].map((k) => share(harbour, k, 'own'))).toEqual([true, true, true, true, true]);
    // Summit sends everything of the patient back home, passes the granted parts to its own devices, and nothing to a third clinic.
    expect(['profile', 'clinical', 'access', 'consent'].map((k) => share(summit, k, harbour))).toEqual([true, true, true, true]);
    expect(['profile', 'schedule', 'clinical', 'access', 'consent'].map((k) => share(summit, k, 'own'))).toEqual([true, false, true, false, true]);
    expect(['profile', 'clinical', 'consent'].map((k) => share(summit, k, third))).toEqual([false, false, false]);

    // Summit's therapist reads the notes: the reading is recorded in the patient's access stream and reaches home.
    const notes = await ok<{ body: unknown }[]>(summit.m.invoke('spt', 'ws', 'notes.list', { patientId: id }));
    expect(notes).toMatchObject([{ body: { sections: { objective: 'Quadriceps lag noted' } } }]);
    sync();
    const log = await ok<{ staffName: string | null }[]>(harbour.m.invoke('mgr', 'ws', 'patient.accessLog', { patientId: id }));
    expect(log.map((l) => l.staffName)).toContain('Tomas Berg');
    // Summit's managers review Summit's emergency access; Harbour sees it in the record's log, not in its queue.
    type Queue = { awaiting: { reason: string; staffName: string | null }[] };
    expect((await ok<Queue>(summit.m.invoke('mgr', 'ws', 'access.emergencies', {}))).awaiting).toMatchObject([
      { reason: 'Second opinion asked by Harbour Rehab', staffName: 'Tomas Berg' },
    ]);
    expect((await ok<Queue>(harbour.m.invoke('mgr', 'ws', 'access.emergencies', {}))).awaiting).toEqual([]);
    expect(log.filter((l) => (l as { mode?: string }).mode === 'emergency').map((l) => l.staffName)).toEqual(['Tomas Berg']);
    const summitSummary = await ok<{ sharedWithThem: number; sharedWithUs: number }[]>(harbour.m.invoke('mgr', 'ws', 'consent.summary', {}));
    expect(summitSummary).toEqual([{ clinicId: summit.id, clinicName: 'Summit Physio', sharedWithThem: 1, sharedWithUs: 0 }]);

    // Tomas keeps a draft of a note on Summit's computer (docs/architecture.md#drafts): it goes with the key.
    const draftsOf = (m: Movelog) => m.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM drafts WHERE patient_id = ?').get(id)!.n;
    const draft = {
      type: 'daily',
      appointmentId: null,
      episodeId: null,
      date: null,
      sections: { plan: 'Call Harbour' },
      measures: [],
      goals: [],
      interventions: [],
    };
    await ok(summit.m.invoke('spt', 'ws', 'drafts.save', { patientId: id, content: draft }));
    expect(draftsOf(summit.m)).toBe(1);
    // Withdrawn at Harbour: Summit locks the record — no key, and no plaintext of the patient in any table.
    expect(plaintextHits(summit.m, needles).length).toBeGreaterThan(0);
    const summitKids = new Set(summit.m.keystore.keysOf(id).map((k) => k.kid));
    expect(summitKids.size).toBe(1);
    await ok(
      harbour.m.invoke('desk', 'ws', 'consent.revoke', {
        patientId: id,
        clinic: summit.id,
        grant: null,
        categories: ['profile', 'clinical'],
        reason: 'Patient asked',
      }),
    );
    sync();
    expect(keysHeld(summit.m, id)).toBe(0);
    expect(summit.m.keystore.keysOf(id)).toEqual([]);
    expect(draftsOf(summit.m)).toBe(0);
    expect(plaintextHits(summit.m, needles)).toEqual([]);
    // Harbour rotated the key at once: what it writes now is sealed under a key Summit never held,
    // and it does not reach Summit.
    const sealing = harbour.m.keystore.sealingKey(id)!;
    expect(summitKids.has(sealing.kid)).toBe(false);
    const after = await ok<{ hash: string }>(
      harbour.m.invoke('pt', 'ws', 'notes.sign', { patientId: id, note: { ...note, objective: 'Written after the withdrawal' } }),
    );
    const body = JSON.parse(
      harbour.m.db.prepare<[string], { b: string }>('SELECT CAST(bytes AS TEXT) AS b FROM entries WHERE hash = ?').get(after.hash)!.b,
    ) as {
      body: { kid?: string };
    };
    expect(body.body.kid).toBe(sealing.kid);
    sync();
    expect(summit.m.db.prepare('SELECT count(*) AS n FROM entries WHERE hash = ?').get(after.hash)).toEqual({ n: 0 });
    const locked = await summit.m.invoke('spt', 'ws', 'notes.list', { patientId: id });
    expect(locked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ok(summit.m.invoke('spt', 'ws', 'patient.search', { query: '1988-04-12' }))).toEqual([]);
    // After the withdrawal only the consent stream still goes to Summit (so it learns of it), and Summit's own devices get nothing else.
    expect(['profile', 'clinical', 'consent'].map((k) => share(harbour, k, summit))).toEqual([false, false, true]);
    expect(['profile', 'clinical', 'consent'].map((k) => share(summit, k, 'own'))).toEqual([false, false, true]);
    expect(await ok(summit.m.invoke('spt', 'ws', 'consent.get', { patientId: id }))).toMatchObject({ shared: true, locked: true, access: [] });
    // The views still equal a rebuild from the entries (locked is derived, not patched).
    const digest = viewDigest(summit.m.db);
    rebuildViews(summit.m.db, summit.m.keystore);
    expect(viewDigest(summit.m.db)).toBe(digest);

    // The patient consents again: a grant after the withdrawal re-opens; Summit gets every key
    // again, and the whole clinical stream, including what was written while it was locked.
    await ok(
      harbour.m.invoke('desk', 'ws', 'consent.grant', {
        patientId: id,
        grantee: summit.id,
        categories: ['clinical'],
        from: null,
        until: null,
        purpose: 'continuity',
        note: '',
        capture: { method: 'verbal', witness: 'Fran Ortiz' },
      }),
    );
    sync();
    expect(summit.m.keystore.keysOf(id).length).toBe(2);
    const again = await ok<{ body: { sections: { objective?: string } } | null }[]>(summit.m.invoke('spt', 'ws', 'notes.list', { patientId: id }));
    expect(again.map((n) => n.body?.sections.objective).sort()).toEqual(['Quadriceps lag noted', 'Written after the withdrawal']);
    expect(streamsOf(summit.m, id)).toContain('clinical');
  });

  it('ends sharing when the grant’s end passes, as a withdrawal does', async () => {
    const { harbour, summit, sync } = await twoClinics();
    await staff(harbour, 'desk', 'Fran Ortiz', 'front_desk');
    const id = (await ok<{ patientId: string }>(harbour.m.invoke('desk', 'ws', 'patient.register', { details, confirmDuplicate: false }))).patientId;
    await ok(
      harbour.m.invoke('desk', 'ws', 'consent.grant', {
        patientId: id,
        grantee: summit.id,
        categories: ['profile'],
        from: null,
        until: clock + 60_000,
        purpose: 'treatment',
        note: '',
        capture: { method: 'paper_form', reference: 'Form 12 in the blue folder' },
      }),
    );
    sync();
    expect(keysHeld(summit.m, id)).toBe(1);
    expect(plaintextHits(summit.m, ['Okafor']).length).toBeGreaterThan(0);
    clock += 61_000;
    // No sync step yet: the first reading after the end is refused, and locks the record there and then.
    await staff(summit, 'sdesk', 'Jo Park', 'front_desk');
    expect(await summit.m.invoke('sdesk', 'ws', 'patient.get', { patientId: id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(keysHeld(summit.m, id)).toBe(0);
    sync();
    expect(keysHeld(summit.m, id)).toBe(0);
    expect(plaintextHits(summit.m, ['Okafor', 'Quayside'])).toEqual([]);
  });
});
