import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerPatients } from '../../services/patients.js';
import { generateDeviceKeyPair } from '../crypto/index.js';
import type { Ledger } from '../ledger.js';
import { rebuildViews, viewDigest } from '../rebuild.js';
import { openPlaintext, sealBody, sealingKeyOf } from '../seal.js';
import type { SealedBody } from '../seal.js';
import { sealedDraft } from '../sealedDraft.js';
import { foundClinic, storedEntries, tempLedger } from '../testing/fixtures.js';
import type { TestClinic, TestLedger } from '../testing/fixtures.js';

const details = {
  givenName: 'Noor',
  familyName: 'Haddad',
  preferredName: null,
  dateOfBirth: '1986-05-28',
  sex: 'female',
  phone: null,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;

/** The record another clinic shares (an id this test makes up: the reducer reads only the link's own stream). */
const other = 'c'.repeat(32);
const otherHome = 'b'.repeat(64);
const staff = { desk: 'd'.repeat(32), therapist: '7'.repeat(32), assistant: '9'.repeat(32) };

function clinicWithStaff(ledger: TestLedger): TestClinic {
  const c = foundClinic(ledger);
  ledger.appendMany(
    (
      [
        [staff.desk, 'Fran', 'front_desk'],
        [staff.therapist, 'Kim', 'therapist'],
        [staff.assistant, 'Alex', 'assistant'],
      ] as const
    ).map(([staffId, name, role]) => ({
      stream: c.publicStream,
      kind: 'staff.added' as const,
      by: c.managerId,
      body: { staffId, name, role, licence: role === 'front_desk' ? null : 'PT-1' },
    })),
  );
  return c;
}

const links = (ledger: Ledger) =>
  ledger.db.prepare('SELECT patient_id, other_id, other_home, linked, by FROM view_patient_links ORDER BY patient_id, other_id').all();

describe('patient.linked / patient.unlinked', () => {
  it('are written by the front desk, therapists and managers in an existing record, sealed; a rebuild gives the same view', () => {
    const ledger = tempLedger();
    const c = clinicWithStaff(ledger);
    const [patientId] = registerPatients({ ledger, keystore: ledger.keystore }, [details], staff.desk) as [string];
    const key = ledger.keystore.keyFor(patientId)!;
    const link = (by: string, kind: 'patient.linked' | 'patient.unlinked' = 'patient.linked') =>
      ledger.append(sealedDraft(sealingKeyOf(key), patientId, kind, { other, otherHome }, by));

    expect(() => link(staff.assistant)).toThrow(/only the front desk, a manager or a therapist can link a patient's records/);
    link(staff.desk);
    expect(links(ledger)).toEqual([{ patient_id: patientId, other_id: other, other_home: otherHome, linked: 1, by: staff.desk }]);
    link(staff.therapist, 'patient.unlinked');
    expect(links(ledger)).toMatchObject([{ linked: 0, by: staff.therapist }]);
    link(c.managerId);
    expect(links(ledger)).toMatchObject([{ linked: 1, by: c.managerId }]);

    // Sealed: the other record's id is not in the ledger in clear.
    const bytes = ledger.db.prepare("SELECT CAST(bytes AS TEXT) AS b FROM entries WHERE kind = 'patient.linked'").all() as { b: string }[];
    for (const { b } of bytes) expect(b).not.toContain(other);

    // Only in the record's profile stream, and only of a patient this ledger holds.
    const stray = 'e'.repeat(32);
    const strayKey = ledger.keystore.createKey(stray, 0);
    expect(() => ledger.append(sealedDraft(sealingKeyOf(strayKey), stray, 'patient.linked', { other, otherHome }, staff.desk))).toThrow(
      /no such patient/,
    );
    const clinical = `p:${patientId}/clinical`;
    expect(() =>
      ledger.append({
        stream: clinical,
        kind: 'patient.linked',
        by: staff.desk,
        body: sealBody(key, clinical, 'patient.linked', { other, otherHome }),
      }),
    ).toThrow(/belongs in a profile stream/);

    const before = viewDigest(ledger.db);
    rebuildViews(ledger.db, ledger.keystore);
    expect(viewDigest(ledger.db)).toBe(before);
  });

  it('leave no row on a device without the record’s key (the pair is sealed)', () => {
    const a = tempLedger();
    clinicWithStaff(a);
    const [patientId] = registerPatients({ ledger: a, keystore: a.keystore }, [details], staff.desk) as [string];
    a.append(sealedDraft(sealingKeyOf(a.keystore.keyFor(patientId)!), patientId, 'patient.linked', { other, otherHome }, staff.desk));
    const b = tempLedger();
    for (const e of storedEntries(a)) expect(b.ingest(e.bytes, e.sig, 'sync').status).toBe('stored');
    expect(links(b)).toEqual([]);
  });

  it('links and unlinks made concurrently on two devices give the same view in any delivery order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (ops, seed) => {
          const a = tempLedger();
          const c = clinicWithStaff(a);
          const bKey = generateDeviceKeyPair();
          a.append({ stream: c.publicStream, kind: 'device.enrolled', by: c.managerId, body: { device: bKey.publicKey, label: 'Desk 2' } });
          const [patientId] = registerPatients({ ledger: a, keystore: a.keystore }, [details], staff.desk) as [string];
          const key = a.keystore.keyFor(patientId)!;
          const b = tempLedger(bKey);
          b.keystore.storeKey(patientId, key, 0);
          const sync = (from: Ledger, to: Ledger) => {
            for (const e of storedEntries(from)) to.ingest(e.bytes, e.sig, 'sync');
          };
          sync(a, b);
          // Two other records, so that links of different pairs and of the same pair both meet.
          ops.forEach(([onA, link, second, exchange]) => {
            const w = onA ? a : b;
            const target = second ? 'f'.repeat(32) : other;
            w.append(
              sealedDraft(sealingKeyOf(key), patientId, link ? 'patient.linked' : 'patient.unlinked', { other: target, otherHome }, staff.therapist),
            );
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
          // The state of each pair is that of its last entry in the canonical order (height, hash).
          const last = new Map<string, number>();
          for (const e of a.db
            .prepare<[], { kind: 'patient.linked' | 'patient.unlinked'; stream: string; bytes: Buffer }>(
              "SELECT kind, stream, bytes FROM entries WHERE kind IN ('patient.linked', 'patient.unlinked') ORDER BY height, hash",
            )
            .all()) {
            const body = (JSON.parse(e.bytes.toString('utf8')) as { body: SealedBody }).body;
            last.set(openPlaintext(key, e.stream, e.kind, body)!.other, e.kind === 'patient.linked' ? 1 : 0);
          }
          expect(new Map(links(a).map((r) => [(r as { other_id: string }).other_id, (r as { linked: number }).linked]))).toEqual(last);
        },
      ),
      { numRuns: 15 },
    );
  });
});
