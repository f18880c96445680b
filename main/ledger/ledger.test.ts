import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, entryHash, generateDeviceKeyPair, signEntryHash } from './crypto/index.js';
import type { JsonValue } from './crypto/index.js';
import { MAX_ENTRY_BYTES } from './entry.js';
import type { Entry } from './entry.js';
import { Ledger, LedgerError } from './ledger.js';
import { rebuildViews, viewDigest } from './rebuild.js';
import { ledgerStatus } from './status.js';
import { foundClinic, storedEntries, tempLedger } from './testing/fixtures.js';

const count = (ledger: Ledger, table: string) => (ledger.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Signs an arbitrary entry object with `key` (for hostile-input tests). */
function forge(key: ReturnType<typeof generateDeviceKeyPair>, entry: Entry) {
  const bytes = canonicalBytes(entry as unknown as JsonValue);
  const hash = entryHash(bytes);
  return { bytes, hash, sig: signEntryHash(key.privateKey, hash) };
}

describe('Ledger: local appends', () => {
  it('writes signed, chained entries and views that a rebuild reproduces byte for byte', () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    ledger.append({
      stream: clinic.publicStream,
      kind: 'staff.added',
      by: clinic.managerId,
      body: { staffId: 'b'.repeat(32), name: 'Lee Chen', role: 'therapist', licence: 'PT-1' },
    });
    const rows = ledger.db.prepare('SELECT local_seq, seq, height, chain FROM entries ORDER BY local_seq').all();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => (r as { seq: number }).seq)).toEqual([1, 2, 3]);
    const before = viewDigest(ledger.db);
    rebuildViews(ledger.db, ledger.keystore);
    expect(viewDigest(ledger.db)).toBe(before);
    expect(ledger.db.prepare('SELECT name, role FROM view_staff ORDER BY name').all()).toEqual([
      { name: 'Ada Moreno', role: 'manager' },
      { name: 'Lee Chen', role: 'therapist' },
    ]);
  });

  it('refuses UPDATE and DELETE on entries (append-only triggers)', () => {
    const ledger = tempLedger();
    foundClinic(ledger);
    expect(() => ledger.db.prepare("UPDATE entries SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => ledger.db.prepare('DELETE FROM entries').run()).toThrow(/append-only/);
    expect(count(ledger, 'entries')).toBe(2);
  });

  it('refuses a local write the policy forbids and stores nothing of the batch', () => {
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const stranger = 'c'.repeat(32);
    expect(() =>
      ledger.appendMany([
        {
          stream: clinic.publicStream,
          kind: 'staff.added',
          by: clinic.managerId,
          body: { staffId: 'b'.repeat(32), name: 'Fine', role: 'therapist', licence: null },
        },
        {
          stream: clinic.publicStream,
          kind: 'staff.added',
          by: stranger,
          body: { staffId: 'd'.repeat(32), name: 'Not fine', role: 'manager', licence: null },
        },
      ]),
    ).toThrow(LedgerError);
    expect(count(ledger, 'entries')).toBe(2);
  });
});

describe('Ledger: what this device may write', () => {
  it('refuses every local write once this device is frozen (its key signed two entries at one place)', () => {
    const key = generateDeviceKeyPair();
    const a = tempLedger(key);
    const clinic = foundClinic(a);
    const [genesis] = storedEntries(a);
    // A copy of this device's key (a stolen laptop) signs another entry at seq 2: a proof of equivocation.
    const other = forge(key, {
      v: 1,
      stream: clinic.publicStream,
      author: key.publicKey,
      seq: 2,
      prev: genesis!.hash,
      deps: [],
      at: 2,
      by: clinic.managerId,
      kind: 'staff.added',
      body: { staffId: 'e'.repeat(32), name: 'Eve', role: 'manager', licence: null },
    });
    expect(a.ingest(other.bytes, other.sig, 'peer').status).toBe('fork');
    const write = () =>
      a.append({
        stream: clinic.publicStream,
        kind: 'staff.added',
        by: clinic.managerId,
        body: { staffId: 'b'.repeat(32), name: 'Lee Chen', role: 'therapist', licence: null },
      });
    expect(write).toThrow(LedgerError);
    expect(write).toThrow(/this computer is frozen and may not write \(equivocation/);
    expect(count(a, 'entries')).toBe(2);
  });

  it("refuses a local write on behalf of a deactivated staff member, but stores another device's", () => {
    const a = tempLedger();
    const clinic = foundClinic(a);
    const b = tempLedger();
    const therapist = 'b'.repeat(32);
    a.appendMany([
      { stream: clinic.publicStream, kind: 'device.enrolled', by: clinic.managerId, body: { device: b.device.publicKey, label: 'Desk 2' } },
      {
        stream: clinic.publicStream,
        kind: 'staff.added',
        by: clinic.managerId,
        body: { staffId: therapist, name: 'Lee Chen', role: 'therapist', licence: null },
      },
    ]);
    for (const e of storedEntries(a)) expect(b.ingest(e.bytes, e.sig, 'a').status).toBe('stored');
    // The therapist still has a session on the other computer, which has not heard of the deactivation yet.
    const hours = { therapistId: therapist, weekly: [] };
    const fromB = b.append({ stream: clinic.publicStream, kind: 'availability.set', by: therapist, body: hours });
    a.append({ stream: clinic.publicStream, kind: 'staff.deactivated', by: clinic.managerId, body: { staffId: therapist } });
    let refused: unknown = null;
    try {
      a.append({ stream: clinic.publicStream, kind: 'availability.set', by: therapist, body: hours });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LedgerError);
    expect((refused as LedgerError).reason).toBe(`staff member ${therapist} has been deactivated in this clinic`);
    // Written before its device learned of the deactivation: admitted whatever the delivery order.
    expect(a.ingest(canonicalBytes(fromB.entry as unknown as JsonValue), fromB.sig, 'b').status).toBe('stored');
    // What the deactivated member tried is still recorded.
    a.append({ stream: clinic.privateStream, kind: 'access.refused', by: therapist, body: { call: 'session.signIn', reason: 'deactivated' } });
  });
});

describe('Ledger: ingest of entries from elsewhere', () => {
  it('stores a peer entry once; a replay is a no-op', () => {
    const a = tempLedger();
    foundClinic(a);
    const b = tempLedger();
    for (const e of storedEntries(a)) expect(b.ingest(e.bytes, e.sig, 'test').status).toBe('stored');
    for (const e of storedEntries(a)) expect(b.ingest(e.bytes, e.sig, 'test').status).toBe('duplicate');
    expect(count(b, 'entries')).toBe(2);
    expect(viewDigest(b.db)).toBe(viewDigest(a.db));
  });

  it('holds an entry whose parent is missing in pending, and applies it when the parent arrives', () => {
    const a = tempLedger();
    foundClinic(a);
    const [genesis, manager] = storedEntries(a);
    const b = tempLedger();
    expect(b.ingest(manager!.bytes, manager!.sig, 'test')).toMatchObject({ status: 'pending', waitingFor: genesis!.hash });
    expect(count(b, 'entries')).toBe(0);
    expect(b.ingest(genesis!.bytes, genesis!.sig, 'test').status).toBe('stored');
    expect(count(b, 'entries')).toBe(2);
    expect(count(b, 'pending')).toBe(0);
  });

  it('quarantines forged, malformed, oversized and unauthorised entries with a reason, and changes no view', () => {
    const a = tempLedger();
    const clinic = foundClinic(a);
    const b = tempLedger();
    for (const e of storedEntries(a)) b.ingest(e.bytes, e.sig, 'test');
    const views = viewDigest(b.db);
    const [, manager] = storedEntries(a);
    const mallory = generateDeviceKeyPair();
    const base: Entry = {
      v: 1,
      stream: clinic.publicStream,
      author: a.device.publicKey,
      seq: 3,
      prev: manager!.hash,
      deps: [],
      at: 1,
      by: clinic.managerId,
      kind: 'staff.added',
      body: { staffId: 'e'.repeat(32), name: 'Eve', role: 'manager', licence: null },
    };
    const forged = forge(mallory, base); // signed by the wrong key
    const cases: [Uint8Array, string, RegExp][] = [
      [forged.bytes, forged.sig, /signature does not verify/],
      [new TextEncoder().encode('{"v":1, "x":2}'), 'sig', /not canonical/],
      [new Uint8Array(MAX_ENTRY_BYTES + 1), 'sig', /over the 262144-byte limit/],
      [forge(mallory, { ...base, kind: 'staff.fired' }).bytes, 'x', /signature|unknown entry kind/],
    ];
    for (const [bytes, sig, reason] of cases) {
      const result = b.ingest(bytes, sig, 'peer');
      expect(result.status).toBe('quarantined');
      expect(result.status === 'quarantined' && result.reason).toMatch(reason);
    }
    expect(count(b, 'quarantine')).toBe(cases.length);
    // An unknown author may only be missing its enrolment (another stream): it waits, bounded, and is never applied.
    const stranger = forge(mallory, { ...base, author: mallory.publicKey, seq: 1, prev: null });
    expect(b.ingest(stranger.bytes, stranger.sig, 'peer')).toEqual({
      status: 'pending',
      hash: stranger.hash,
      waitingFor: `device:${mallory.publicKey}`,
    });
    expect(count(b, 'entries')).toBe(2);
    expect(viewDigest(b.db)).toBe(views);
  });

  it('detects equivocation: keeps both entries as proof, freezes the author, refuses its later entries', () => {
    const device = generateDeviceKeyPair();
    const a1 = tempLedger(device);
    const clinic = foundClinic(a1);
    const a2 = tempLedger(device); // the same key on a second machine: the thing that must never happen
    for (const e of storedEntries(a1)) a2.ingest(e.bytes, e.sig, 'copy');
    const staff = (name: string) => ({
      stream: clinic.publicStream,
      kind: 'staff.added' as const,
      by: clinic.managerId,
      body: { staffId: 'b'.repeat(32), name, role: 'therapist', licence: null },
    });
    a1.append(staff('One'));
    a2.append(staff('Two'));
    a2.append(staff('Three'));
    const observer = tempLedger();
    for (const e of storedEntries(a1)) observer.ingest(e.bytes, e.sig, 'a1');
    const fromA2 = storedEntries(a2);
    expect(observer.ingest(fromA2[2]!.bytes, fromA2[2]!.sig, 'a2').status).toBe('fork');
    expect(count(observer, 'forks')).toBe(1);
    expect(count(observer, 'frozen_authors')).toBe(1);
    const later = observer.ingest(fromA2[3]!.bytes, fromA2[3]!.sig, 'a2');
    expect(later.status).not.toBe('stored');
    // Surfaced to the UI and CLI through ledger.status.
    const status = ledgerStatus(observer.db);
    expect(status.forks).toMatchObject([{ author: device.publicKey, seq: 3, storedHash: storedEntries(a1)[2]!.hash, otherHash: fromA2[2]!.hash }]);
    expect(status.frozenAuthors).toMatchObject([{ author: device.publicKey, reason: expect.stringMatching(/equivocation/) as unknown }]);
  });

  it('bounds pending: beyond the limit new orphans are quarantined', () => {
    const a = tempLedger();
    const clinic = foundClinic(a);
    for (let i = 0; i < 5; i++)
      a.append({
        stream: clinic.publicStream,
        kind: 'staff.added',
        by: clinic.managerId,
        body: { staffId: 'b'.repeat(32), name: `N${i}`, role: 'therapist', licence: null },
      });
    const b = tempLedger();
    const small = new Ledger(b.db, b.device, { maxPending: 2, keystore: b.keystore });
    const orphans = storedEntries(a).slice(2);
    const statuses = orphans.map((e) => small.ingest(e.bytes, e.sig, 'test').status);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'quarantined')).toHaveLength(orphans.length - 2);
  });
});

describe('Convergence', () => {
  it('any delivery order of the same entries gives identical views', () => {
    // Two devices of one clinic write concurrently (renaming the same staff members), syncing at
    // random moments; then every entry is delivered to fresh ledgers in random orders.
    fc.assert(
      fc.property(
        fc.array(fc.record({ device: fc.integer({ min: 0, max: 1 }), staff: fc.integer({ min: 0, max: 3 }), sync: fc.boolean() }), {
          minLength: 1,
          maxLength: 25,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        (ops, seeds) => {
          const a = tempLedger();
          const clinic = foundClinic(a);
          const bKey = generateDeviceKeyPair();
          a.append({
            stream: clinic.publicStream,
            kind: 'device.enrolled',
            by: clinic.managerId,
            body: { device: bKey.publicKey, label: 'Front desk' },
          });
          const b = tempLedger(bKey);
          const exchange = (from: Ledger, to: Ledger) => {
            for (const e of storedEntries(from)) to.ingest(e.bytes, e.sig, 'sync');
          };
          exchange(a, b);
          ops.forEach((op, i) => {
            const writer = op.device === 0 ? a : b;
            writer.append({
              stream: clinic.publicStream,
              kind: 'staff.added',
              by: clinic.managerId,
              body: { staffId: String(op.staff).repeat(32), name: `v${i}`, role: 'therapist', licence: null },
            });
            if (op.sync) {
              exchange(a, b);
              exchange(b, a);
            }
          });
          exchange(a, b);
          exchange(b, a);
          const expected = viewDigest(a.db);
          expect(viewDigest(b.db)).toBe(expected);
          const all = storedEntries(a);
          for (const seed of seeds) {
            const shuffled = fc.sample(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), { seed, numRuns: 1 })[0]!;
            const fresh = tempLedger();
            for (const e of shuffled) fresh.ingest(e.bytes, e.sig, 'shuffle');
            expect(viewDigest(fresh.db)).toBe(expected);
            expect(count(fresh, 'entries')).toBe(all.length);
            rebuildViews(fresh.db, fresh.keystore);
            expect(viewDigest(fresh.db)).toBe(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('an entry refused only because the pending queue was full', () => {
  it('is admitted when offered again once what it waited for is here, and leaves the quarantine', () => {
    const source = tempLedger();
    const clinic = foundClinic(source);
    const later = source.append({ stream: clinic.publicStream, kind: 'clinic.checkin.set', by: clinic.managerId, body: { minutes: 30 } });
    const all = storedEntries(source);
    const target = new Ledger(tempLedger().db, generateDeviceKeyPair(), { keystore: null, maxPending: 0 });
    const last = all.find((e) => e.hash === later.hash)!;
    // The genesis has not arrived: no room to wait, so it is refused into quarantine.
    expect(target.ingest(last.bytes, last.sig, 'peer')).toMatchObject({
      status: 'quarantined',
      reason: expect.stringMatching(/^pending queue is full/) as unknown,
    });
    for (const e of all) if (e.hash !== later.hash) target.ingest(e.bytes, e.sig, 'peer');
    expect(target.ingest(last.bytes, last.sig, 'peer')).toMatchObject({ status: 'stored' });
    expect(target.db.prepare('SELECT count(*) AS n FROM quarantine WHERE hash = ?').get(later.hash)).toEqual({ n: 0 });
  });
});
