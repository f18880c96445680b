import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openMovelog } from '../core.js';
import { seedDemo } from '../cli/demo.js';
import { canonicalBytes, CHAIN_ZERO, chainNext, entryHash, generateDeviceKeyPair, signEntryHash } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';
import type { Entry } from './entry.js';
import { exportLedger } from './export.js';
import { newestWitness, witnessedCheckpoints } from './checkpoints.js';
import { rebuildViews } from './rebuild.js';
import { dbKeyOf, foundClinic, openRaw, storedEntries, tempLedger } from './testing/fixtures.js';
import { CannotVerifyError, verifyDatabase, verifyLedgerFile } from './verify.js';
import type { VerifyOptions } from './verify.js';

/** verifyDatabase with the database's key (every test database is encrypted, docs/architecture.md#encryption-at-rest). */
const verifyKeyed = (file: string, options: VerifyOptions = {}) => verifyDatabase(file, { dbKey: dbKeyOf(file), ...options });

let pristine = '';
let dbKey: Buffer | null = null;
let pristineExport = '';

beforeAll(() => {
  const ledger = tempLedger();
  const clinic = foundClinic(ledger);
  for (let i = 0; i < 30; i++) {
    ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: clinic.managerId,
      body: { staffId: String(i % 7).repeat(32), name: `Staff ${i}`, role: 'therapist', licence: null },
    });
  }
  pristine = ledger.db.name;
  dbKey = ledger.dbKey;
  pristineExport = join(mkdtempSync(join(tmpdir(), 'movelog-export-')), 'ledger.jsonl');
  exportLedger(ledger.db, pristineExport);
  ledger.db.close();
});

/** A copy of the pristine database with `sql` run as an attacker with file access would. */
function tampered(sql: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'movelog-tamper-')), 'movelog.db');
  copyFileSync(pristine, file);
  const db = openRaw(file);
  db.exec(`DROP TRIGGER entries_append_only_update; DROP TRIGGER entries_append_only_delete; ${sql}`);
  db.close();
  return file;
}

describe('verifyDatabase', () => {
  it('passes an intact ledger and reports its chain head', async () => {
    const report = await verifyKeyed(pristine, { workers: 0, dbKey });
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(32);
    expect(report.viewsMatch).toBe(true);
    expect(report.chainHead).toMatch(/^[0-9a-f]{64}$/);
  });

  const attacks: [string, string, number | null, RegExp][] = [
    [
      'a byte of an entry edited',
      "UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Staff 9', 'Staff 8') AS BLOB) WHERE local_seq = 12",
      12,
      /hash does not match/,
    ],
    ['a row deleted', 'DELETE FROM entries WHERE local_seq = 7', 7, /entry #7 is missing/],
    [
      'two rows reordered',
      'UPDATE entries SET local_seq = -1 WHERE local_seq = 5; UPDATE entries SET local_seq = 5 WHERE local_seq = 6; UPDATE entries SET local_seq = 6 WHERE local_seq = -1',
      5,
      /chain breaks|seq|prev/,
    ],
    [
      'two entries swapped with their hashes',
      'UPDATE entries SET local_seq = -1 WHERE local_seq = 20; UPDATE entries SET local_seq = 20 WHERE local_seq = 21; UPDATE entries SET local_seq = 21 WHERE local_seq = -1; UPDATE entries SET chain = (SELECT chain FROM entries e2 WHERE e2.local_seq = 21) WHERE local_seq = 20',
      20,
      /chain breaks|seq|prev/,
    ],
    [
      'a signature replaced',
      'UPDATE entries SET sig = (SELECT sig FROM entries WHERE local_seq = 3) WHERE local_seq = 9',
      9,
      /signature does not verify/,
    ],
    ['the local chain rewritten', "UPDATE entries SET chain = '" + '0'.repeat(64) + "' WHERE local_seq = 15", 15, /chain breaks/],
    ['a stored column changed', "UPDATE entries SET kind = 'clinic.created' WHERE local_seq = 4", 4, /columns/],
    ['the last row deleted', 'DELETE FROM entries WHERE local_seq = 32', null, /views differ/],
    ['a view edited', "UPDATE view_staff SET role = 'manager' WHERE name = 'Staff 29'", null, /views differ/],
  ];

  it.each(attacks)('finds tampering: %s', async (_what, sql, n, reason) => {
    const report = await verifyKeyed(tampered(sql), { workers: 0, dbKey });
    expect(report.problem).not.toBeNull();
    expect(report.problem?.n ?? null).toBe(n);
    expect(report.problem?.reason).toMatch(reason);
  });

  it('says it cannot check a file that is not a Movelog database', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'movelog-junk-')), 'movelog.db');
    writeFileSync(file, 'not sqlite');
    await expect(verifyKeyed(file, { workers: 0 })).rejects.toThrow(CannotVerifyError);
  });
});

describe('verifyLedgerFile', () => {
  it('passes the export of an intact ledger with the same chain head', async () => {
    const [fromFile, fromDb] = await Promise.all([verifyLedgerFile(pristineExport, { workers: 0 }), verifyKeyed(pristine, { workers: 0, dbKey })]);
    expect(fromFile.problem).toBeNull();
    expect(fromFile.entries).toBe(32);
    expect(fromFile.chainHead).toBe(fromDb.chainHead);
  });
});

/** A clock that moves on by a millisecond at each reading, as a real one would between writes. */
function ticking(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

/** Signs an arbitrary entry with `key` (an attacker holding a copy of the device key). */
function forge(key: ReturnType<typeof generateDeviceKeyPair>, entry: Entry): { bytes: Uint8Array; sig: string } {
  const bytes = canonicalBytes(entry as unknown as JsonValue);
  return { bytes, sig: signEntryHash(key.privateKey, entryHash(bytes)) };
}

describe('verifyDatabase: who was allowed to write each entry (policy replay)', () => {
  it('finds a front-desk user who made themself manager in view_staff and then added a manager', async () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const desk = 'd'.repeat(32);
    ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: clinic.managerId,
      body: { staffId: desk, name: 'Fran Ortiz', role: 'front_desk', licence: null },
    });
    // The insider edits the view the policy reads, then writes through Movelog's own code.
    ledger.db.prepare("UPDATE view_staff SET role = 'manager' WHERE id = ?").run(desk);
    const added = ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: desk,
      body: { staffId: 'e'.repeat(32), name: 'Eve Mallory', role: 'manager', licence: null },
    });
    ledger.db.prepare("UPDATE view_staff SET role = 'front_desk' WHERE id = ?").run(desk);
    const file = ledger.db.name;
    ledger.db.close();
    const report = await verifyKeyed(file, { workers: 0 });
    expect(report.problem).toEqual({ n: added.localSeq, hash: added.hash, reason: 'the admission policy refuses it: only a manager can add staff' });
    expect(report.policyReplayed).toBe(false);
    // The same history exported: the replay finds it in the file too.
    const exported = join(mkdtempSync(join(tmpdir(), 'movelog-export-')), 'ledger.jsonl');
    const db = openRaw(file);
    exportLedger(db, exported);
    db.close();
    expect((await verifyLedgerFile(exported, { workers: 0 })).problem).toEqual(report.problem);
  });

  it('holds this computer to its own rules: nothing written once frozen, nothing on behalf of a deactivated staff member', async () => {
    const key = generateDeviceKeyPair();
    const ledger = tempLedger(key, ticking());
    const clinic = foundClinic(ledger);
    const therapist = 'b'.repeat(32);
    ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: clinic.managerId,
      body: { staffId: therapist, name: 'Lee Chen', role: 'therapist', licence: null },
    });
    ledger.append({ stream: clinic.publicStream, kind: 'staff.deactivated', by: clinic.managerId, body: { staffId: therapist } });
    // A second process still holding the therapist's session, with the check patched out for a moment.
    ledger.db.prepare('UPDATE view_staff SET active = 1 WHERE id = ?').run(therapist);
    const stale = ledger.append({
      stream: clinic.publicStream,
      kind: 'availability.set',
      by: therapist,
      body: { therapistId: therapist, weekly: [] },
    });
    ledger.db.prepare('UPDATE view_staff SET active = 0 WHERE id = ?').run(therapist);
    const file = ledger.db.name;
    ledger.db.close();
    const asThisDevice = await verifyKeyed(file, { workers: 0, device: key.publicKey });
    expect(asThisDevice.problem).toMatchObject({ n: stale.localSeq, hash: stale.hash });
    expect(asThisDevice.problem?.reason).toBe(
      `this computer should not have written it: staff member ${therapist} has been deactivated in this clinic`,
    );
    // Another device's entry is judged by the shared policy only (it may not have known yet).
    expect((await verifyKeyed(file, { workers: 0 })).problem).toBeNull();
  });

  it('finds an entry this computer wrote after it was frozen', async () => {
    const key = generateDeviceKeyPair();
    const ledger = tempLedger(key, ticking());
    const clinic = foundClinic(ledger);
    const [genesis] = storedEntries(ledger);
    const copy = forge(key, {
      v: 1,
      stream: clinic.publicStream,
      author: key.publicKey,
      seq: 2,
      prev: genesis!.hash,
      deps: [],
      at: 2,
      by: clinic.managerId,
      kind: 'clinic.settings.set',
      body: { autoLockMinutes: 5 },
    });
    expect(ledger.ingest(copy.bytes, copy.sig, 'peer').status).toBe('fork');
    // The insider lifts the freeze and writes (the proof in forks stays: it is append-only).
    ledger.db.prepare('DELETE FROM frozen_authors').run();
    const late = ledger.append({ stream: clinic.publicStream, kind: 'clinic.settings.set', by: clinic.managerId, body: { autoLockMinutes: 30 } });
    const file = ledger.db.name;
    ledger.db.close();
    const report = await verifyKeyed(file, { workers: 0, device: key.publicKey });
    expect(report.problem).toMatchObject({ n: late.localSeq, hash: late.hash });
    expect(report.problem?.reason).toMatch(/^this computer should not have written it: this computer is frozen and may not write \(equivocation/);
    // The proof itself fails verification too (exit 1), listed after the entry.
    expect(report.problems.map((p) => p.reason)).toContainEqual(expect.stringMatching(/^1 equivocation proof held/));
  });
});

describe('verifyDatabase: what the database itself holds', () => {
  it('fails on any equivocation proof held', async () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const peer = tempLedger();
    for (const e of storedEntries(ledger)) peer.ingest(e.bytes, e.sig, 'a');
    const [genesis] = storedEntries(ledger);
    const other = forge(ledger.device, {
      v: 1,
      stream: clinic.publicStream,
      author: ledger.device.publicKey,
      seq: 2,
      prev: genesis!.hash,
      deps: [],
      at: 9,
      by: null,
      kind: 'checkpoint.signed',
      body: { size: 1, chain: 'f'.repeat(64) },
    });
    expect(peer.ingest(other.bytes, other.sig, 'b').status).toBe('fork');
    const file = peer.db.name;
    peer.db.close();
    const report = await verifyKeyed(file, { workers: 0 });
    expect(report.forks).toBe(1);
    expect(report.problem?.reason).toMatch(/^1 equivocation proof held: a device signed two different entries at one place/);
  });

  it.each([
    ['dropped', 'DROP TRIGGER entries_append_only_delete', /the append-only trigger entries_append_only_delete is missing/],
    [
      'made harmless',
      'DROP TRIGGER forks_append_only_update; CREATE TRIGGER forks_append_only_update BEFORE UPDATE ON forks BEGIN SELECT 1; END',
      /the trigger forks_append_only_update was changed/,
    ],
    [
      'added',
      "CREATE TRIGGER quiet AFTER INSERT ON quarantine BEGIN DELETE FROM quarantine WHERE reason = 'x'; END",
      /a trigger Movelog does not create is present: quiet/,
    ],
  ])('fails when an append-only trigger is %s', async (_what, sql, reason) => {
    const file = join(mkdtempSync(join(tmpdir(), 'movelog-trigger-')), 'movelog.db');
    copyFileSync(pristine, file);
    const db = openRaw(file);
    db.exec(sql);
    db.close();
    const report = await verifyKeyed(file, { workers: 0 });
    expect(report.problem?.reason).toMatch(reason);
    expect(report.problems).toHaveLength(1);
  });
});

describe('verifyDatabase: entries removed after a witnessed checkpoint', () => {
  /** The pristine ledger with its last `k` entries deleted, and the views rebuilt and triggers restored: consistent in itself. */
  function truncated(k: number): string {
    const file = join(mkdtempSync(join(tmpdir(), 'movelog-truncate-')), 'movelog.db');
    copyFileSync(pristine, file);
    const db = openRaw(file);
    const triggers = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'").all();
    db.exec('DROP TRIGGER entries_append_only_update; DROP TRIGGER entries_append_only_delete');
    db.prepare('DELETE FROM entries WHERE local_seq > (SELECT max(local_seq) FROM entries) - ?').run(k);
    for (const t of triggers) db.exec(t.sql);
    rebuildViews(db, null);
    db.close();
    return file;
  }

  const witnessOf = (file: string, size: number) => {
    const db = openRaw(file);
    try {
      return { size, chain: (db.prepare('SELECT chain FROM entries WHERE local_seq = ?').get(size) as { chain: string }).chain };
    } finally {
      db.close();
    }
  };

  it('fails when the chain is shorter than, or differs from, the witnessed checkpoint kept outside the database', async () => {
    const witness = witnessOf(pristine, 32);
    expect((await verifyKeyed(pristine, { workers: 0, witness })).witness).toEqual({ ...witness, holds: true });
    const cut = truncated(2);
    // Without a witness this is all consistent: the report says it could not check.
    const blind = await verifyKeyed(cut, { workers: 0 });
    expect(blind.problem).toBeNull();
    expect(blind.witness).toBeNull();
    const report = await verifyKeyed(cut, { workers: 0, witness });
    expect(report.problem).toEqual({
      n: null,
      hash: null,
      reason: 'entries were removed after a checkpoint other devices witnessed: it covers 32 entries, this database holds 30',
    });
    expect(report.witness?.holds).toBe(false);
    // A witness from a different history at the same size: entries were replaced.
    const replaced = await verifyKeyed(pristine, { workers: 0, witness: { size: 30, chain: '0'.repeat(64) } });
    expect(replaced.problem?.n).toBe(30);
    expect(replaced.problem?.reason).toMatch(/^entries were removed or replaced after a checkpoint/);
  });

  it("fails when a stream's last entry is removed from the middle and the local chain recomputed", async () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const staff = (i: number) => ({ staffId: String(i).repeat(32), name: `Staff ${i}`, role: 'therapist', licence: null });
    for (let i = 1; i <= 3; i++) ledger.append({ stream: clinic.publicStream, kind: 'staff.added', by: clinic.managerId, body: staff(i) });
    // The only entry of the private stream: its last, which no later entry names.
    const gone = ledger.append({
      stream: clinic.privateStream,
      kind: 'access.refused',
      by: null,
      body: { call: 'session.signIn', reason: 'wrong passphrase' },
    });
    for (let i = 4; i <= 6; i++) ledger.append({ stream: clinic.publicStream, kind: 'staff.added', by: clinic.managerId, body: staff(i) });
    const file = ledger.db.name;
    ledger.db.close();
    const witness = witnessOf(file, 9);
    const before = witnessOf(file, gone.localSeq - 1);

    const db = openRaw(file);
    const triggers = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'").all();
    db.exec('DROP TRIGGER entries_append_only_update; DROP TRIGGER entries_append_only_delete');
    db.prepare('DELETE FROM entries WHERE local_seq = ?').run(gone.localSeq);
    db.prepare('DELETE FROM heads WHERE stream = ?').run(clinic.privateStream);
    let chain = CHAIN_ZERO;
    for (const row of db.prepare<[], { local_seq: number; hash: string }>('SELECT local_seq, hash FROM entries ORDER BY local_seq').all()) {
      chain = chainNext(chain, row.hash);
      const n = row.local_seq > gone.localSeq ? row.local_seq - 1 : row.local_seq;
      db.prepare('UPDATE entries SET local_seq = ?, chain = ? WHERE local_seq = ?').run(n, chain, row.local_seq);
    }
    for (const t of triggers) db.exec(t.sql);
    rebuildViews(db, null);
    db.close();

    expect((await verifyKeyed(file, { workers: 0 })).problem).toBeNull(); // consistent in itself
    const report = await verifyKeyed(file, { workers: 0, witness });
    expect(report.problem?.reason).toBe(
      'entries were removed after a checkpoint other devices witnessed: it covers 9 entries, this database holds 8',
    );
    // A checkpoint from before the removed entry cannot see it: only entries up to the newest witness are protected.
    expect((await verifyKeyed(file, { workers: 0, witness: before })).problem).toBeNull();
  });

  it('picks the newest witnessed checkpoint the chain holds, and never goes back to an older one', () => {
    const c = (size: number, matches = true, witnesses = 1) => ({
      size,
      chain: String(size).padStart(64, '0'),
      witnesses,
      clinics: 1,
      matches,
      replaced: false,
    });
    expect(newestWitness([], null)).toBeNull();
    expect(newestWitness([c(10), c(30), c(20)], null)).toEqual({ size: 30, chain: c(30).chain });
    expect(newestWitness([c(10), c(40, false)], null)).toEqual({ size: 10, chain: c(10).chain });
    const kept = { size: 50, chain: 'a'.repeat(64) };
    expect(newestWitness([c(10), c(30)], kept)).toBe(kept);
    expect(newestWitness([c(60)], kept)).toEqual({ size: 60, chain: c(60).chain });
    const ledger = tempLedger();
    foundClinic(ledger);
    expect(newestWitness(witnessedCheckpoints(ledger.db, ledger.device.publicKey), null)).toBeNull();
  });
});

describe('verifyDatabase without the keystore', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'movelog-keyless-'));
    const movelog = openMovelog(dir, () => Date.UTC(2026, 10, 30, 12), { warn: () => undefined, error: () => undefined });
    try {
      await seedDemo(movelog, 6, Date.UTC(2026, 10, 30, 12));
    } finally {
      movelog.close();
    }
  }, 60_000);

  it('compares every view that needs no patient key, and says which it could not', async () => {
    const report = await verifyKeyed(join(dir, 'movelog.db'), { workers: 0 });
    expect(report.problem).toBeNull();
    expect(report.viewsMatch).toBe(true);
    expect(report.views?.compared).toEqual(
      expect.arrayContaining(['view_clinic', 'view_devices', 'view_staff', 'view_credentials', 'view_rooms', 'view_checkpoints']),
    );
    expect(report.views?.clearColumnsOnly).toEqual(['view_patients', 'view_patient_access', 'view_notes', 'view_consent', 'view_audit']);
    expect(report.views?.notCompared.map((n) => n.table)).toEqual([
      'view_patient_tokens',
      'view_appointments',
      'view_note_addenda',
      'view_episodes',
      'view_patient_links',
      'view_emergency_access',
      'view_emergency_reviews',
    ]);
    for (const n of report.views?.notCompared ?? []) expect(n.why).toMatch(/sealed entries can be opened, and patients' keys were not used/);
  });

  it.each([
    ['a role in view_staff', "UPDATE view_staff SET role = 'manager' WHERE role = 'front_desk'", 'view_staff'],
    ["a note's author", "UPDATE view_notes SET author_staff = '" + '0'.repeat(32) + "'", 'view_notes'],
    ['a patient removed', 'DELETE FROM view_patients WHERE rowid = (SELECT min(rowid) FROM view_patients)', 'view_patients'],
  ])('finds %s edited', async (_what, sql, table) => {
    const file = join(mkdtempSync(join(tmpdir(), 'movelog-keyless-edit-')), 'movelog.db');
    copyFileSync(join(dir, 'movelog.db'), file);
    copyFileSync(join(dir, 'movelog.vault'), join(dirname(file), 'movelog.vault'));
    const db = openRaw(file);
    expect(db.prepare(sql).run().changes).toBeGreaterThan(0);
    db.close();
    const report = await verifyKeyed(file, { workers: 0 });
    expect(report.problem?.reason).toBe(`views differ from a rebuild from the entries (a view was edited, or a reducer changed): ${table}`);
  });
});
