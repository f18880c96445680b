// Consent-scoped sharing over real WebRTC between network namespaces (needs root and `ip netns`;
// issue 12, docs/architecture.md#consent). Harbour's device holds P patients (default 1,000) with
// E entries each (default 50: the registration and E-1 signed notes, all sealed); Summit, a newly
// trusted clinic with one device, is granted `profile` and `clinical` for every patient at once
// (P grants through `consent.grant`). Measured: time until Summit holds every shared entry, the
// grants and every key, as a rate against the limit measured in the same run: a new device of
// Harbour bootstrapping the same entries (the clinic room, no consent to judge). Then the time
// from a revocation (`consent.revoke`) until Summit holds no key of the patient (target ≤ 5 s),
// for one patient and for all the others at once.
// Usage: npm run build && node bench/consent-share.mjs [--patients N] [--entries N] [--smoke]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { sealedDraft } from '../out/node/main/ledger/sealedDraft.js';
import { clinicStream } from '../out/node/main/ledger/streams.js';
import { registerPatients } from '../out/node/main/services/patients.js';
import { createNet } from '../out/node/main/testing/netns.js';
import { cli, pairDevice, PASSPHRASE, startSignal, stopCli, trustClinics, until } from './netns-cli.mjs';
import { benchOptions, ratio } from './options.mjs';

const options = benchOptions('node bench/consent-share.mjs [--patients N] [--entries N] [--smoke]', {
  patients: { full: 1_000, smoke: 20 },
  entries: { full: 50, smoke: 5 },
});
const P = options.patients;
const E = options.entries;
const TARGET_SECONDS = 5;
const quiet = { warn: () => undefined, error: () => undefined };
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;

/** The first error a process printed, with what follows (its stack), or the end of its output. @param {string} output */
const firstError = (output) => {
  const at = output.search(/\w*Error\b/);
  return (at >= 0 ? output.slice(at) : output.slice(-300)).slice(0, 500);
};

/** @param {import('../out/node/main/core.js').Movelog} m @param {string} connection @param {string} name @param {unknown} input */
async function call(m, connection, name, input) {
  const result = await m.invoke(connection, 'cli', name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Rows for `patientId` (or for any patient) in every table of patients' data keys (a name with "key" and a patient_id column). */
function keyRows(db, patientId = null) {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '%key%'")
    .pluck()
    .all()
    .filter((t) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t).includes('patient_id'));
  let n = 0;
  for (const t of tables)
    n +=
      patientId === null
        ? db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()
        : db.prepare(`SELECT count(*) FROM "${t}" WHERE patient_id = ?`).pluck().get(patientId);
  return n;
}
const entries = (m) => m.db.prepare('SELECT count(*) FROM entries').pluck().get();
const patientEntries = (m) => m.db.prepare("SELECT count(*) FROM entries WHERE stream LIKE 'p:%'").pluck().get();
const streamKind = (m, kind) => m.db.prepare('SELECT count(*) FROM entries WHERE kind = ?').pluck().get(kind);
const streamEntries = (m, stream) => m.db.prepare('SELECT count(*) FROM entries WHERE stream = ?').pluck().get(stream);

const net = await createNet({ peers: ['a', 'b', 'c'] });
const dirs = Object.fromEntries(['a', 'b', 'c'].map((p) => [p, mkdtempSync(join(tmpdir(), `movelog-bench-consent-${p}-`))]));
const syncs = [];
const opened = [];
try {
  const signal = await startSignal(net);
  await cli(net, 'a', ['init', '--data', dirs.a, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen']).seen;
  await cli(net, 'c', ['init', '--data', dirs.c, '--clinic', 'Summit Physio', '--manager', 'Ana Ruiz']).seen;

  // Seed Harbour: P patients, each registered (profile) with E-1 signed notes (clinical), sealed
  // under the patient's key as the services seal them; 2,000 entries per transaction.
  const a = openMovelog(dirs.a, Date.now, quiet);
  opened.push(a);
  const status = a.services['clinic.status']();
  if (status.state !== 'ready') throw new Error(`Harbour's clinic is not set up (${status.state})`);
  const H = status.clinic.id;
  await call(a, 'mgr', 'session.signIn', { staffId: status.clinic.manager.id, passphrase: PASSPHRASE });
  const therapist = await call(a, 'mgr', 'staff.add', { name: 'Priya Nair', role: 'therapist', licence: 'PT-1', passphrase: 'Priya passphrase' });
  const desk = await call(a, 'mgr', 'staff.add', { name: 'Fran Doyle', role: 'front_desk', licence: null, passphrase: 'Fran passphrase' });
  await call(a, 'desk', 'session.signIn', { staffId: desk.id, passphrase: 'Fran passphrase' });
  const list = demoPatients(P, 12);
  const ids = [];
  for (let i = 0; i < P; i += 1_000)
    ids.push(...registerPatients({ ledger: a.ledger, keystore: a.keystore }, list.slice(i, i + 1_000), status.clinic.manager.id));
  let drafts = [];
  const flush = () => {
    if (drafts.length > 0) a.ledger.appendMany(drafts);
    drafts = [];
  };
  for (const id of ids) {
    const sealing = a.keystore.sealingKey(id);
    for (let n = 1; n < E; n++) {
      const text = (bytes) => randomBytes(bytes).toString('base64url');
      const note = {
        type: 'daily',
        appointmentId: null,
        subjective: text(90),
        objective: text(60),
        assessment: text(45),
        plan: text(45),
        pain: n % 11,
      };
      drafts.push(sealedDraft(sealing, id, 'note.signed', note, therapist.id));
      if (drafts.length === 2_000) flush();
    }
  }
  flush();
  const shared = patientEntries(a);
  if (shared !== P * E) throw new Error(`seeded ${shared} patient entries, expected ${P * E}`);

  // Limit: a new device of Harbour takes the same entries through the clinic room.
  await pairDevice(net, { peer: 'a', dir: dirs.a, manager: 'Lee Chen' }, { peer: 'b', dir: dirs.b, label: 'New device' }, signal);
  const syncA = cli(net, 'a', ['sync', '--data', dirs.a, '--quiet'], /Syncing device/);
  syncs.push(syncA);
  await syncA.seen;
  const syncB = cli(net, 'b', ['sync', '--data', dirs.b, '--quiet'], /Syncing device/);
  syncs.push(syncB);
  await syncB.seen;
  const bootStart = process.hrtime.bigint();
  const b = openMovelog(dirs.b, Date.now, quiet);
  opened.push(b);
  const total = entries(a);
  await until(
    () => entries(b) >= total,
    900_000,
    () => `new device holds ${entries(b)} of ${total} entries`,
  );
  const bootSeconds = seconds(bootStart);
  const bootRate = total / bootSeconds;
  console.log(
    `Consent share — ${P} patients × ${E} sealed entries (profile + clinical) granted at once to a newly trusted clinic, over WebRTC between namespaces`,
  );
  console.log(
    `limit: bootstrap of a new device of the same clinic, ${total} entries in ${bootSeconds.toFixed(1)} s: ${bootRate.toFixed(0)} entries/s`,
  );
  await stopCli(syncB); // only Harbour's first device serves Summit below

  // Summit: trusted through an invitation code while Harbour's device syncs, then its device joins.
  await trustClinics(net, { peer: 'a', dir: dirs.a, manager: 'Lee Chen' }, { peer: 'c', dir: dirs.c, manager: 'Ana Ruiz' }, signal);
  const syncC = cli(net, 'c', ['sync', '--data', dirs.c, '--quiet', '--signal', signal], /Syncing device/);
  syncs.push(syncC);
  await syncC.seen;
  const c = openMovelog(dirs.c, Date.now, quiet);
  opened.push(c);
  const publicStream = clinicStream(H, 'public');
  await until(
    () => streamEntries(c, publicStream) === streamEntries(a, publicStream) && streamEntries(c, publicStream) > 0,
    120_000,
    () => `Summit holds ${streamEntries(c, publicStream)} of ${streamEntries(a, publicStream)} entries of Harbour's public stream`,
  );
  const S = c.services['clinic.status']().clinic.id;
  /** Whether each sync process still runs (one that ended stops everything it would have sent). */
  const processes = () =>
    [
      ['Harbour', syncA],
      ['Summit', syncC],
    ]
      .map(([who, s]) =>
        s.child.exitCode === null && s.child.signalCode === null
          ? `${who}'s sync runs`
          : `${who}'s sync ENDED (${s.child.exitCode ?? s.child.signalCode}): ${firstError(s.output())}`,
      )
      .join('; ');

  // The grant for every patient at once; Summit must hold every shared entry, every grant and every key.
  const shareStart = process.hrtime.bigint();
  for (const id of ids)
    await call(a, 'desk', 'consent.grant', {
      patientId: id,
      grantee: S,
      categories: ['profile', 'clinical'],
      from: null,
      until: null,
      purpose: 'continuity',
      note: '',
      capture: { method: 'paper_form', reference: 'Bench consent form' },
    });
  const grantSeconds = seconds(shareStart);
  const expected = P * (E + 1);
  // Gives up at 20 times the bootstrap's time (at least 2 minutes), saying where Summit's entries are.
  await until(
    () => patientEntries(c) >= expected && keyRows(c.db) >= P,
    Math.max(60_000, 20_000 * bootSeconds),
    () => {
      const parked = c.db.prepare('SELECT (SELECT count(*) FROM pending) AS pending, (SELECT count(*) FROM quarantine) AS quarantined').get();
      const reason = c.db.prepare('SELECT reason FROM quarantine ORDER BY id DESC LIMIT 1').pluck().get() ?? 'none';
      return `Summit holds ${patientEntries(c)} of ${expected} patient entries (grants: ${streamKind(c, 'consent.granted')} of ${P}) and ${keyRows(c.db)} of ${P} keys; pending ${parked.pending}, quarantined ${parked.quarantined} (latest reason: ${reason}); ${processes()}`;
    },
  );
  const shareSeconds = seconds(shareStart);
  const shareRate = expected / shareSeconds;
  console.log(
    `grants written: ${P} in ${grantSeconds.toFixed(1)} s; Summit held all ${expected} entries (shared streams and grants) and ${P} keys ${shareSeconds.toFixed(1)} s after the first grant: ${shareRate.toFixed(0)} entries/s`,
  );
  console.log(`share rate: ${ratio(shareRate / bootRate)} to the bootstrap rate`);

  // Revocation of one patient, then of all the others at once: until Summit holds no key of them.
  const revoke = (id) =>
    call(a, 'desk', 'consent.revoke', { patientId: id, clinic: S, grant: null, categories: ['profile', 'clinical'], reason: 'Bench withdrawal' });
  if (keyRows(c.db, ids[0]) === 0) throw new Error('Summit holds no key of the patient before the revocation');
  const oneStart = process.hrtime.bigint();
  await revoke(ids[0]);
  await until(
    () => keyRows(c.db, ids[0]) === 0,
    30_000,
    () => `Summit still holds ${keyRows(c.db, ids[0])} key(s) of the revoked patient; ${processes()}`,
  );
  const oneSeconds = seconds(oneStart);
  console.log(
    `revocation to no key at Summit, one patient: ${oneSeconds.toFixed(2)} s, ${ratio(oneSeconds / TARGET_SECONDS)} to the ${TARGET_SECONDS} s target (${oneSeconds <= TARGET_SECONDS ? 'met' : 'not met'})`,
  );
  const restStart = process.hrtime.bigint();
  for (const id of ids.slice(1)) await revoke(id);
  const restWritten = seconds(restStart);
  await until(
    () => keyRows(c.db) === 0,
    Math.max(30_000, 20_000 * bootSeconds),
    () => `Summit still holds ${keyRows(c.db)} patient key(s); ${processes()}`,
  );
  const restSeconds = seconds(restStart);
  console.log(
    `revocation to no key at Summit, the other ${P - 1} patients at once: ${restSeconds.toFixed(1)} s (revocations written in ${restWritten.toFixed(1)} s)`,
  );
} finally {
  for (const s of syncs) await stopCli(s);
  for (const m of opened) m.close();
  await net.destroy();
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
}
